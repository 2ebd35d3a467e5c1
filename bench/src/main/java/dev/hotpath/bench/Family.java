package dev.hotpath.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The family (the {@code family} column of results.csv) of a benchmark class. Without it the
 * report derives the family from the class name: {@code Blake3Benchmark} becomes {@code blake3}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Family {
    String value();
}
