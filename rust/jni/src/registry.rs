//! Every native method of `NativeBridge`, declared once.
//!
//! Each line of [`native_methods!`] names the Java method, its parameters as `jni::sys` types
//! and the `inner_` function that does the work. From it the macro makes the shim the JVM
//! calls (which hands the arguments to [`call`]: errors and panics become exceptions there),
//! the JNI descriptor, and the table `JNI_OnLoad` gives `RegisterNatives`. Nothing is exported
//! under a `Java_...` symbol: the JVM binds each method to the function in the table, on
//! whatever class the loader names, so a relocated (shaded) copy of the Kotlin side binds as
//! well as the original. The descriptors are checked twice against the Kotlin declarations:
//! `RegisterNatives` refuses any method the class does not declare with exactly that
//! descriptor (the load fails), and the test suite compares [`DECLARATIONS`] with every
//! `external fun` of the class, so neither side can gain a method the other lacks.
//!
//! Two kinds of entry: `checked`, the shim over an `inner_` function returning `Result`, which
//! every real entry point is; and `raw`, a shim with no wrapper around a plain function, for the
//! evidence suite's measurement of what the JVM alone charges for a call.

use std::ffi::{c_char, c_void};

use jni::sys::{
    jboolean, jbooleanArray, jbyteArray, jclass, jdouble, jdoubleArray, jint, jlong, jlongArray,
    jobject, jobjectArray, jstring, JNIEnv, JNINativeMethod,
};

use crate::bridge::call;
use crate::{crypto, ed25519, ledger, numeric, system};
// Csv family.
use crate::csv;
// Vectors family.
use crate::vectors;
// Csv and Vectors families.
use jni::sys::{jfloatArray, jintArray};

/// A `java.nio.ByteBuffer` argument (a `jobject`, named for its descriptor).
#[allow(non_camel_case_types)]
pub type jbyteBuffer = jobject;

/// A `byte[][]` argument (a `jobjectArray`, named for its descriptor).
#[allow(non_camel_case_types)]
pub type jbyteArrays = jobjectArray;

/// The JNI descriptor of a parameter or return type of the declarations below.
macro_rules! descriptor {
    (jint) => {
        "I"
    };
    (jlong) => {
        "J"
    };
    (jdouble) => {
        "D"
    };
    (jboolean) => {
        "Z"
    };
    (jstring) => {
        "Ljava/lang/String;"
    };
    (jbyteArray) => {
        "[B"
    };
    (jlongArray) => {
        "[J"
    };
    (jdoubleArray) => {
        "[D"
    };
    (jbooleanArray) => {
        "[Z"
    };
    (jbyteArrays) => {
        "[[B"
    };
    (jbyteBuffer) => {
        "Ljava/nio/ByteBuffer;"
    };
    (()) => {
        "V"
    };
    // Csv and Vectors families.
    (jintArray) => {
        "[I"
    };
    // Vectors family.
    (jfloatArray) => {
        "[F"
    };
}

macro_rules! native_methods {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident fn $name:ident($($arg:ident: $t:tt),* $(,)?) -> $ret:tt = $inner:path;
    )*) => {
        $( native_methods!(@shim $kind $(#[doc = $doc])* $name($($arg: $t),*) -> $ret = $inner); )*

        /// `name descriptor` of every method, one per line, in declaration order.
        pub const DECLARATIONS: &str = concat!($(
            stringify!($name), " (", $(descriptor!($t),)* ")", descriptor!($ret), "\n",
        )*);

        /// The table for `RegisterNatives`. The names and descriptors are static C strings, so
        /// the pointers stay valid for as long as the library is loaded.
        pub fn methods() -> Vec<JNINativeMethod> {
            vec![$(
                JNINativeMethod {
                    name: concat!(stringify!($name), "\0").as_ptr() as *mut c_char,
                    signature: concat!("(", $(descriptor!($t),)* ")", descriptor!($ret), "\0")
                        .as_ptr() as *mut c_char,
                    fnPtr: $name as *mut c_void,
                },
            )*]
        }
    };
    (@shim checked $(#[doc = $doc:literal])* $name:ident($($arg:ident: $t:tt),*) -> $ret:tt = $inner:path) => {
        $(#[doc = $doc])*
        #[allow(non_snake_case)]
        extern "system" fn $name(env: *mut JNIEnv, _class: jclass, $($arg: $t),*) -> $ret {
            call(env, stringify!($name), |env| $inner(env, $($arg),*))
        }
    };
    (@shim raw $(#[doc = $doc:literal])* $name:ident($($arg:ident: $t:tt),*) -> $ret:tt = $inner:path) => {
        $(#[doc = $doc])*
        #[allow(non_snake_case)]
        extern "system" fn $name(_env: *mut JNIEnv, _class: jclass, $($arg: $t),*) -> $ret {
            $inner($($arg),*)
        }
    };
}

native_methods! {
    /// The version compiled in; the loader refuses a library whose version differs from the jar's.
    checked fn version() -> jstring = system::inner_version;
    /// Sets the pool size used when the pool is first built; returns the size it has or will have.
    checked fn configure(threads: jint) -> jint = system::inner_configure;
    /// These declarations, for the test that compares them with the Kotlin ones.
    checked fn declarations() -> jstring = system::inner_declarations;
    /// The code tables (`codes.rs`), for the test that compares them with the Kotlin ones.
    checked fn codeTables() -> jstring = system::inner_code_tables;
    /// Nothing, through the same wrapper as every kernel: the evidence suite's crossing cost.
    checked fn noop() -> () = system::inner_noop;
    /// Nothing, with no wrapper at all: the floor any JNI call pays.
    raw fn rawNoop() -> () = system::raw_noop;
    /// Nothing, with `sumLongArray`'s signature and no wrapper; returns 0.
    raw fn rawNoopArray(values: jlongArray, from: jint, to: jint, length: jint) -> jlong = system::raw_noop_array;
    /// Pins the whole array once through the kernels' helper and releases it; returns its length.
    checked fn pinAndRelease(values: jlongArray) -> jlong = system::inner_pin_and_release;
    /// Panics on purpose, on the calling thread or in a pool worker.
    checked fn panicForTest(in_worker: jboolean) -> () = system::inner_panic_for_test;

    checked fn sumLongArray(values: jlongArray, from: jint, to: jint, length: jint) -> jlong = numeric::inner_sum_long_array;
    checked fn sumDoubleArray(values: jdoubleArray, from: jint, to: jint, length: jint) -> jdouble = numeric::inner_sum_double_array;
    checked fn sumExactDoubleArray(values: jdoubleArray) -> jdouble = numeric::inner_sum_exact_double_array;
    checked fn statsDoubleArray(values: jdoubleArray, out: jdoubleArray) -> () = numeric::inner_stats_double_array;
    checked fn scaleLongArray(values: jlongArray, factor: jlong) -> () = numeric::inner_scale_long_array;
    checked fn scaleDoubleArray(values: jdoubleArray, factor: jdouble) -> () = numeric::inner_scale_double_array;
    checked fn sumLongsDirect(buffer: jbyteBuffer, position: jint, length: jint, big_endian: jboolean) -> jlong = numeric::inner_sum_longs_direct;
    checked fn sumDoublesDirect(buffer: jbyteBuffer, position: jint, length: jint, big_endian: jboolean) -> jdouble = numeric::inner_sum_doubles_direct;
    checked fn sumLongsBytes(array: jbyteArray, offset: jint, length: jint, big_endian: jboolean) -> jlong = numeric::inner_sum_longs_bytes;
    checked fn sumDoublesBytes(array: jbyteArray, offset: jint, length: jint, big_endian: jboolean) -> jdouble = numeric::inner_sum_doubles_bytes;

    checked fn blake3Hash(input: jbyteArray, offset: jint, length: jint, key: jbyteArray, out: jbyteArray) -> () = crypto::inner_blake3_hash;
    checked fn blake3HashDirect(buffer: jbyteBuffer, position: jint, length: jint, out: jbyteArray) -> () = crypto::inner_blake3_hash_direct;
    checked fn blake3HashBatch(inputs: jbyteArrays, from: jint, to: jint, out: jbyteArray) -> () = crypto::inner_blake3_hash_batch;
    checked fn sha256Hash(input: jbyteArray, out: jbyteArray) -> () = crypto::inner_sha256_hash;
    checked fn sha256HashBatch(inputs: jbyteArrays, from: jint, to: jint, out: jbyteArray) -> () = crypto::inner_sha256_hash_batch;
    checked fn merkleRoot(leaves: jbyteArrays, out: jbyteArray) -> () = crypto::inner_merkle_root;

    checked fn ed25519PublicKey(secret_key: jbyteArray) -> jbyteArray = ed25519::inner_public_key;
    checked fn ed25519Sign(secret_key: jbyteArray, message: jbyteArray) -> jbyteArray = ed25519::inner_sign;
    checked fn ed25519Verify(public_key: jbyteArray, message: jbyteArray, signature: jbyteArray) -> jboolean = ed25519::inner_verify;
    checked fn ed25519VerifyBatch(public_keys: jbyteArrays, messages: jbyteArrays, signatures: jbyteArrays) -> jbooleanArray = ed25519::inner_verify_batch;

    checked fn ledgerValidateBlock(block: jbyteArray, offset: jint, length: jint) -> jbyteArray = ledger::inner_validate_block;
    checked fn ledgerValidateBlockDirect(buffer: jbyteBuffer, position: jint, length: jint) -> jbyteArray = ledger::inner_validate_block_direct;

    // Csv family (csv.rs): a read returns a handle; its sizes, names and columns are fetched
    // into arrays the Kotlin side allocates, then the handle is freed.
    checked fn csvReadBytes(data: jbyteArray, offset: jint, length: jint, settings: jlongArray, types: jbyteArray, null_value: jbyteArray) -> jlong = csv::inner_read_bytes;
    checked fn csvReadDirect(data: jbyteBuffer, position: jint, length: jint, settings: jlongArray, types: jbyteArray, null_value: jbyteArray) -> jlong = csv::inner_read_direct;
    checked fn csvReadFile(file: jstring, settings: jlongArray, types: jbyteArray, null_value: jbyteArray) -> jlong = csv::inner_read_file;
    checked fn csvInfo(handle: jlong) -> jlongArray = csv::inner_info;
    checked fn csvName(handle: jlong, index: jint) -> jstring = csv::inner_name;
    checked fn csvMessage(handle: jlong) -> jstring = csv::inner_message;
    checked fn csvLongs(handle: jlong, column: jint, out: jlongArray) -> () = csv::inner_longs;
    checked fn csvDoubles(handle: jlong, column: jint, out: jdoubleArray) -> () = csv::inner_doubles;
    checked fn csvBits(handle: jlong, column: jint, which: jint, out: jlongArray) -> () = csv::inner_bits;
    checked fn csvStringBytes(handle: jlong, column: jint, out: jbyteArray) -> () = csv::inner_string_bytes;
    checked fn csvStringOffsets(handle: jlong, column: jint, out: jintArray) -> () = csv::inner_string_offsets;
    checked fn csvFree(handle: jlong) -> () = csv::inner_free;
    // Vectors family.
    checked fn vectorIndexCreate(dimension: jint, metric: jint, precision: jint) -> jlong = vectors::inner_create;
    checked fn vectorIndexFree(handle: jlong) -> () = vectors::inner_free;
    checked fn vectorIndexAdd(handle: jlong, vectors: jfloatArray, count: jint) -> jint = vectors::inner_add;
    checked fn vectorIndexAddDirect(handle: jlong, buffer: jbyteBuffer, position: jint, length: jint) -> jint = vectors::inner_add_direct;
    checked fn vectorIndexAddBytes(handle: jlong, array: jbyteArray, offset: jint, length: jint, stored: jboolean) -> jint = vectors::inner_add_bytes;
    checked fn vectorIndexSearch(handle: jlong, queries: jfloatArray, count: jint, k: jint, ids: jintArray, scores: jfloatArray) -> jint = vectors::inner_search;
    checked fn vectorIndexSize(handle: jlong) -> jint = vectors::inner_size;
    checked fn vectorIndexMemoryBytes(handle: jlong) -> jlong = vectors::inner_memory_bytes;
    checked fn vectorIndexExport(handle: jlong, from: jint, count: jint, out: jbyteArray) -> () = vectors::inner_export;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declaration_has_a_table_entry_with_its_descriptor() {
        let table = methods();
        let lines: Vec<&str> = DECLARATIONS.lines().collect();
        assert_eq!(table.len(), lines.len());
        for (method, line) in table.iter().zip(&lines) {
            // SAFETY: the table's strings are the NUL-terminated literals made by the macro.
            let (name, signature) = unsafe {
                (
                    std::ffi::CStr::from_ptr(method.name).to_string_lossy(),
                    std::ffi::CStr::from_ptr(method.signature).to_string_lossy(),
                )
            };
            assert_eq!(format!("{name} {signature}"), *line);
        }
        assert!(lines.contains(&"sumLongArray ([JIII)J"));
        assert!(lines.contains(&"blake3HashDirect (Ljava/nio/ByteBuffer;II[B)V"));
        assert!(lines.contains(&"ed25519VerifyBatch ([[B[[B[[B)[Z"));
    }

    #[test]
    fn method_names_are_unique() {
        let mut names: Vec<&str> = DECLARATIONS
            .lines()
            .filter_map(|l| l.split(' ').next())
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
