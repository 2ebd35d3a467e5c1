package dev.hotpath.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kernel a benchmark method measures, as the report names it (and as
 * {@code thresholds.properties} keys it, after the family: {@code numeric.sum.long}).
 *
 * <p>Benchmark methods are named {@code <kernel>_<implementation>}; without this annotation the
 * report takes the part before the last underscore as the kernel's name.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Kernel {
    String value();

    /**
     * How much of Backend.AUTO's size one unit of the benchmark's size parameter is: results.csv
     * (and so the crossover written into thresholds.properties) counts sizes in the unit the
     * dispatch code compares with the threshold. 1 when the parameter already is that unit
     * (elements, bytes, signatures); a batch of 1 KiB SHA-256 inputs swept by input count counts
     * 1024 + 64 bytes per input, as {@code Checks.batchWork} does.
     */
    long sizeScale() default 1;

    /**
     * Benchmark parameters besides the size that tell measurements of the kernel apart: each
     * becomes part of the report's kernel name as {@code /name=value}, in this order
     * ({@code search/dimension=384/batch=16}).
     */
    String[] params() default {};
}
