package dev.hotpath.examples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The example job on a small day: both backends find exactly the records and blocks the generator damaged. */
class SparkLedgerJobTest {
    @Test
    void bothBackendsFindWhatTheGeneratorDamaged() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("hotpath-spark-example-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            SparkLedgerJob.Inputs inputs = SparkLedgerJob.generate(spark, 1_500, 20, 10, 7);
            assertEquals(30, inputs.badRecords());
            assertEquals(1, inputs.badBlocks());
            for (String backend : new String[] {"native", "jvm"}) {
                SparkLedgerJob.Result r = SparkLedgerJob.run(spark, inputs, backend, 1);
                assertEquals(inputs.badRecords(), r.invalid(), backend + ": bad records");
                assertEquals(1_500 - inputs.badRecords(), r.valid(), backend + ": good records");
                assertEquals(inputs.badBlocks(), r.invalidBlocks(), backend + ": bad blocks");
                assertEquals(20 - inputs.badBlocks(), r.validBlocks(), backend + ": good blocks");
            }
        } finally {
            spark.stop();
        }
    }
}
