package dev.slogate.experiment;

import java.util.Arrays;

/** Comparison of a measured value with a target, spelled as OpenSLO spells it. */
public enum Op {
    LT("lt", "<"), LTE("lte", "<="), GT("gt", ">"), GTE("gte", ">=");

    private final String id;
    private final String symbol;

    Op(String id, String symbol) {
        this.id = id;
        this.symbol = symbol;
    }

    public boolean holds(double measured, double target) {
        return switch (this) {
            case LT -> measured < target;
            case LTE -> measured <= target;
            case GT -> measured > target;
            case GTE -> measured >= target;
        };
    }

    public String id() {
        return id;
    }

    public String symbol() {
        return symbol;
    }

    public static Op fromId(String text) {
        return Arrays.stream(values()).filter(o -> o.id.equals(text) || o.symbol.equals(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown comparison '" + text + "'; write lt, lte, gt or gte"));
    }
}
