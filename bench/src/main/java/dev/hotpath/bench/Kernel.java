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
}
