package dev.hotpath.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import scala.Function1;
import scala.collection.immutable.Seq;

/**
 * hotpath's SQL functions, registered once per session with {@link #register(SparkSession)}:
 * {@code hotpath_blake3(binary)}, {@code hotpath_sha256(binary)},
 * {@code hotpath_ed25519_verify(public_key, message, signature)} and
 * {@code hotpath_validate_block(binary)}. A null input gives null; an argument that is not BINARY
 * is an {@link AnalysisException} at analysis time naming the function, the argument and BINARY.
 *
 * <p>These are Spark UDFs, evaluated one row at a time: Spark offers no public batch interface
 * for JVM scalar functions (its batched evaluation, BatchEvalPython/ArrowEvalPython, exists for
 * Python only, and a planner rule rewriting the plan into a batched node would depend on
 * internal plan classes that change between releases). So each row is one native call: hashes
 * and block validation lose little by this (a block is itself a batch), but Ed25519 verification
 * does not get the 64-at-a-time batch check; use {@link HotpathSpark#ed25519Verify} for that.
 */
public final class HotpathFunctions {
    private HotpathFunctions() {}

    /**
     * Registers the four functions as temporary functions of {@code spark} (replacing any of the
     * same names).
     *
     * @throws NullPointerException if {@code spark} is null.
     */
    public static void register(SparkSession spark) {
        if (spark == null) throw new NullPointerException("spark is null");
        spark.udf().register("hotpath_blake3", (UDF1<byte[], byte[]>) input -> {
            if (input == null) return null;
            SparkConfig.apply();
            Kernels.counted();
            return dev.hotpath.Blake3.hash(input);
        }, DataTypes.BinaryType);
        spark.udf().register("hotpath_sha256", (UDF1<byte[], byte[]>) input -> {
            if (input == null) return null;
            SparkConfig.apply();
            Kernels.counted();
            return dev.hotpath.Sha256.hash(input);
        }, DataTypes.BinaryType);
        spark.udf().register("hotpath_ed25519_verify", (UDF3<byte[], byte[], byte[], Boolean>) (key, message, signature) -> {
            if (key == null || message == null || signature == null) return null;
            SparkConfig.apply();
            return (Boolean) Kernels.ed25519Verify(new byte[][] {key}, new byte[][] {message}, new byte[][] {signature})[0];
        }, DataTypes.BooleanType);
        spark.udf().register("hotpath_validate_block", (UDF1<byte[], org.apache.spark.sql.Row>) block -> {
            if (block == null) return null;
            SparkConfig.apply();
            return Kernels.reportRow(Kernels.validateBlock(block));
        }, Kernels.BLOCK_REPORT);
        FunctionRegistry registry = ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().functionRegistry();
        for (String name : new String[] {"hotpath_blake3", "hotpath_sha256", "hotpath_ed25519_verify", "hotpath_validate_block"}) {
            checkBinaryArguments(registry, name);
        }
    }

    /** Java UDFs carry no input types, so a wrong one would fail inside a task: check at analysis. */
    private static void checkBinaryArguments(FunctionRegistry registry, String name) {
        Function1<Seq<Expression>, Expression> udf = registry.lookupFunctionBuilder(
                FunctionIdentifier.apply(name, scala.Option.apply("session"), scala.Option.apply("system"))).get();
        Function1<Seq<Expression>, Expression> checked = children -> {
            for (int i = 0; i < children.length(); i++) {
                Expression child = children.apply(i);
                if (child.resolved() && !(child.dataType() instanceof BinaryType)) {
                    throw HotpathFunctions.<RuntimeException>sneaky(
                            typeError(name, i, child.sql(), child.dataType().sql(), "BINARY"));
                }
            }
            return udf.apply(children);
        };
        registry.createOrReplaceTempFunction(name, checked, "scala_udf");
    }

    /** Scala lambdas cannot declare the checked AnalysisException Spark's analyzer expects to see. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    static AnalysisException typeError(String function, int index, String input, String inputType, String required) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("paramIndex", ordinal(index + 1));
        parameters.put("functionName", "`" + function + "`");
        parameters.put("requiredType", "\"" + required + "\"");
        parameters.put("inputSql", "\"" + input + "\"");
        parameters.put("inputType", "\"" + inputType + "\"");
        scala.collection.immutable.Map<String, String> scalaMap =
                scala.collection.immutable.Map$.MODULE$.from(scala.jdk.javaapi.CollectionConverters.asScala(parameters));
        return new AnalysisException("UNEXPECTED_INPUT_TYPE", scalaMap);
    }

    private static String ordinal(int n) {
        switch (n) {
            case 1: return "first";
            case 2: return "second";
            case 3: return "third";
            default: return n + "th";
        }
    }
}
