package dev.slogate.slo;

/** The judgement of one SLO over one window. NO_DATA makes the run inconclusive: a gate never passes on missing data. */
public enum Verdict { PASS, FAIL, NO_DATA }
