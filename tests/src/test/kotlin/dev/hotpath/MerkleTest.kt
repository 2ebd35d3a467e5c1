package dev.hotpath

import dev.hotpath.CryptoInputs.assertBytes
import dev.hotpath.CryptoInputs.hex
import dev.hotpath.CryptoInputs.naiveMerkleRoot
import dev.hotpath.CryptoInputs.randomBytes
import dev.hotpath.CryptoInputs.unhex
import dev.hotpath.NumericInputs.onEveryBackend
import dev.hotpath.jvm.MerkleReference
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.MethodSource

/**
 * RFC 6962 Merkle tree hashes on every backend: certificate-transparency's published roots,
 * every tree shape from 0 to 17 leaves and larger ones against a naive transcription of the
 * RFC, and leaves longer than a native pin.
 */
class MerkleTest {
    companion object {
        /** The leaves of certificate-transparency's reference tree (cpp/merkletree/merkle_tree_test.cc). */
        private val CT_LEAVES = listOf(
            "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
        ).map { unhex(it) }

        /** Its roots for the first 0..8 leaves (kSHA256EmptyTreeHash, then kSHA256Roots). */
        private val CT_ROOTS = listOf(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        )

        @JvmStatic
        fun shapes(): List<Int> = (0..17).toList()

        @JvmStatic
        @BeforeAll
        fun nativeLibraryIsAvailable() = NumericInputs.requireNative()
    }

    @AfterEach
    fun restoreAutoBackend() {
        Hotpath.backend = Backend.AUTO
    }

    @Test
    fun rootsMatchCertificateTransparencysPublishedRoots() {
        onEveryBackend { b ->
            for (n in 0..8) {
                assertEquals(CT_ROOTS[n], hex(Merkle.root(CT_LEAVES.subList(0, n).toTypedArray()))) { "$b, $n leaves" }
            }
        }
        for (n in 0..8) assertEquals(CT_ROOTS[n], hex(naiveMerkleRoot(CT_LEAVES.subList(0, n)))) { "naive oracle, $n leaves" }
    }

    @ParameterizedTest(name = "{0} leaves")
    @MethodSource("shapes")
    fun everySmallTreeShapeEqualsTheNaiveDefinition(n: Int) {
        val leaves = Array(n) { randomBytes(it % 70, "merkle-shape", n, it) }
        val expected = naiveMerkleRoot(leaves.toList())
        onEveryBackend { b -> assertBytes(expected, Merkle.root(leaves)) { "$b, $n leaves" } }
        assertBytes(expected, MerkleReference.root(leaves)) { "twin, $n leaves" }
    }

    @Test
    fun largeTreesAndLongLeavesEqualTheNaiveDefinition() {
        val cases = listOf(
            Array(1025) { randomBytes(it % 40, "merkle-1025", it) },
            Array(4097) { randomBytes(it % 33, "merkle-4097", it) },
            Array(10_000) { randomBytes(200, "merkle-10k", it) },
            // Every leaf length from 0 to 2100 bytes side by side in the multi-buffer lanes.
            Array(2101) { randomBytes((it * 61) % 2101, "merkle-every-length", it) },
            CryptoInputs.mixedBatch("merkle-mixed"),
        )
        for (leaves in cases) {
            val expected = naiveMerkleRoot(leaves.toList())
            onEveryBackend { b -> assertBytes(expected, Merkle.root(leaves)) { "$b, ${leaves.size} leaves" } }
        }
    }

    @Test
    fun aNullLeafIsRejectedNamingItsIndex() {
        val batch = Array<ByteArray?>(5) { ByteArray(it) }
        batch[0] = null
        @Suppress("UNCHECKED_CAST")
        val leaves = batch as Array<ByteArray>
        onEveryBackend { b ->
            val e = assertThrows(NullPointerException::class.java) { Merkle.root(leaves) }
            assertEquals("leaves[0] is null", e.message) { "$b" }
        }
    }
}
