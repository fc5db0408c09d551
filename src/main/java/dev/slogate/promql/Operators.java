package dev.slogate.promql;

import java.util.Set;

/** The words and symbols of PromQL's operators and aggregations that the grammar treats apart. */
final class Operators {
    static final Set<String> AGGREGATORS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count");
    static final Set<String> PARAM_AGGREGATORS = Set.of("topk", "bottomk", "quantile", "count_values");
    static final Set<String> COMPARISONS = Set.of("==", "!=", ">", "<", ">=", "<=");
    static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");
    static final Set<String> WORD_OPERATORS = Set.of("and", "or", "unless", "atan2");

    private Operators() {
    }
}
