package dev.hotpath.bench;

import java.util.SplittableRandom;

/**
 * The Vectors family's collections and queries: seeded, and clustered the way embeddings are (a
 * vector is one of {@link #CENTRES} random centres plus uniform noise), so that nearest neighbours
 * are meaningful and INT8's recall is measured on data with structure rather than on uniform
 * noise, where every stored vector is about as far from a query as every other.
 *
 * <p>Vector {@code i} depends only on the seed, {@code i} and the dimension, never on how a
 * collection is cut into chunks, so an index filled a chunk at a time (to keep the fork's heap
 * small) holds the same vectors as one array filled at once.
 */
public final class VectorInputs {
    /** Clusters in every collection. */
    static final int CENTRES = 256;
    private static final long COLLECTION_SEED = 0x5EED_2026_0014L;
    private static final long QUERY_SEED = 0x5EED_2026_0015L;
    private static final float NOISE = 0.6f;

    private final int dimension;
    private final float[] centres;

    /** The generator of one dimension (its centres are the same in every fork). */
    public VectorInputs(int dimension) {
        this.dimension = dimension;
        SplittableRandom random = new SplittableRandom(COLLECTION_SEED ^ dimension);
        centres = new float[CENTRES * dimension];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) random.nextDouble(-1.0, 1.0);
        }
    }

    /** Stored vectors {@code first} to {@code first + count - 1}, laid end to end into {@code out}. */
    public void collection(int first, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            fill(COLLECTION_SEED, first + i, out, i * dimension);
        }
    }

    /** Stored vector {@code id} as an array of its own. */
    public float[] stored(int id) {
        float[] v = new float[dimension];
        fill(COLLECTION_SEED, id, v, 0);
        return v;
    }

    /** {@code count} queries laid end to end, from the same clusters as the collection but other noise. */
    public float[] queries(int count) {
        float[] out = new float[count * dimension];
        for (int i = 0; i < count; i++) {
            fill(QUERY_SEED, i, out, i * dimension);
        }
        return out;
    }

    private void fill(long seed, long index, float[] out, int at) {
        SplittableRandom random = new SplittableRandom(seed + index * 0x9E37_79B9_7F4A_7C15L);
        int centre = random.nextInt(CENTRES) * dimension;
        for (int j = 0; j < dimension; j++) {
            out[at + j] = centres[centre + j] + NOISE * ((float) random.nextDouble() - 0.5f);
        }
    }
}
