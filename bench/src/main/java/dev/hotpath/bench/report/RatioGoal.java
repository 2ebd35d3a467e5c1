package dev.hotpath.bench.report;

/**
 * A goal of the form "native at least {@code target} times faster than {@code other}", declared
 * beside the benchmark that measures it (a public {@code GOALS} list on the benchmark class) and
 * judged by the report's "## Goals" section from the same run's rows.
 *
 * @param text   the goal as the issue states it (Markdown)
 * @param key    the size sweep: {@code <family>.<kernel>}; a family that ends in the key's family
 *               also matches ({@code ledger} or {@code crypto.ledger})
 * @param other  the implementation native is compared with
 * @param at     the size the goal is about, or null for the largest size both measured
 * @param target the least ratio other's time / native's time that meets the goal
 */
public record RatioGoal(String text, String key, String other, Long at, double target) {
}
