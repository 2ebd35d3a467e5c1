package dev.hotpath.bench;

import org.apache.lucene.util.VectorUtil;

/**
 * What a JVM service writes instead of hotpath's index: one dot product per stored vector (a
 * {@code float[][]} collection), each query scanning the whole collection, and one bounded top-k
 * heap per query ({@link TopKHeap}, shared by every baseline so they differ only in the dot product).
 * The Vector API baseline lives in {@link VectorKernels} (incubator module).
 */
final class VectorBaselines {
    private VectorBaselines() {
    }

    /** The plain loop: one float accumulator, in index order (C2 does not vectorise this reduction). */
    static float dotLoop(float[] a, float[] b) {
        float s = 0f;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Top {@code k} of one query by the plain loop. */
    static TopKHeap searchLoop(float[][] collection, float[] query, int k) {
        TopKHeap heap = new TopKHeap(k);
        for (int id = 0; id < collection.length; id++) {
            heap.offer(dotLoop(collection[id], query), id);
        }
        return heap;
    }

    /**
     * Top {@code k} of one query by Lucene's {@code VectorUtil.dotProduct} (lucene-core 9.12.3:
     * on JDK 17 its scalar, unrolled implementation; the Panama one needs JDK 21).
     */
    static TopKHeap searchLucene(float[][] collection, float[] query, int k) {
        TopKHeap heap = new TopKHeap(k);
        for (int id = 0; id < collection.length; id++) {
            heap.offer(VectorUtil.dotProduct(collection[id], query), id);
        }
        return heap;
    }

    /**
     * A bounded min-heap of (score, id): the best {@code k} seen so far, the worst on top; a
     * larger score is better, ties go to the smaller id (the order hotpath's index returns).
     */
    static final class TopKHeap {
        private final float[] scores;
        private final int[] ids;
        private int size;

        TopKHeap(int k) {
            scores = new float[k];
            ids = new int[k];
        }

        /** Whether (a, ia) ranks worse than (b, ib). */
        private static boolean worse(float a, int ia, float b, int ib) {
            return a < b || (a == b && ia > ib);
        }

        void offer(float score, int id) {
            if (size < scores.length) {
                int i = size++;
                scores[i] = score;
                ids[i] = id;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (!worse(scores[i], ids[i], scores[parent], ids[parent])) {
                        break;
                    }
                    swap(i, parent);
                    i = parent;
                }
            } else if (worse(scores[0], ids[0], score, id)) {
                scores[0] = score;
                ids[0] = id;
                int i = 0;
                while (true) {
                    int l = 2 * i + 1;
                    int r = l + 1;
                    int m = i;
                    if (l < size && worse(scores[l], ids[l], scores[m], ids[m])) {
                        m = l;
                    }
                    if (r < size && worse(scores[r], ids[r], scores[m], ids[m])) {
                        m = r;
                    }
                    if (m == i) {
                        break;
                    }
                    swap(i, m);
                    i = m;
                }
            }
        }

        private void swap(int a, int b) {
            float s = scores[a];
            scores[a] = scores[b];
            scores[b] = s;
            int t = ids[a];
            ids[a] = ids[b];
            ids[b] = t;
        }

        /** The ids, best first (consumes nothing: sorts a copy). */
        int[] sortedIds() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> worse(scores[x], ids[x], scores[y], ids[y]) ? 1
                    : worse(scores[y], ids[y], scores[x], ids[x]) ? -1 : 0);
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                out[i] = ids[order[i]];
            }
            return out;
        }

        /** The worst score kept: what a JMH method returns, so no scan is dead code. */
        float threshold() {
            return size == 0 ? Float.NaN : scores[0];
        }
    }
}
