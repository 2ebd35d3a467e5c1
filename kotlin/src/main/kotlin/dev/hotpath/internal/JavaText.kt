@file:Suppress("PLATFORM_CLASS_MAPPED_TO_KOTLIN")

package dev.hotpath.internal

/*
 * java.lang.String's own searches, for code on the path to the first native call. Kotlin's
 * `startsWith`, `contains`, `trim`, `equals(ignoreCase)` and friends live in the kotlin.text
 * facade, whose first use loads a dozen stdlib classes (and the ranges they use): milliseconds
 * of a cold start. These call the JDK's methods, which are loaded already.
 */

internal fun String.jStartsWith(prefix: String): Boolean = (this as java.lang.String).startsWith(prefix)

internal fun String.jEndsWith(suffix: String): Boolean = (this as java.lang.String).endsWith(suffix)

internal fun String.jContains(part: String): Boolean = (this as java.lang.String).contains(part)

internal fun String.jIndexOf(part: String): Int = (this as java.lang.String).indexOf(part)

internal fun String.jLastIndexOf(c: Char): Int = (this as java.lang.String).lastIndexOf(c.code)

internal fun String.jLowercase(): String = (this as java.lang.String).toLowerCase(java.util.Locale.ROOT)

internal fun String.jTrim(): String = (this as java.lang.String).trim()

internal fun String.jEqualsIgnoreCase(other: String): Boolean = (this as java.lang.String).equalsIgnoreCase(other)

internal fun String.jReplace(old: Char, new: Char): String = (this as java.lang.String).replace(old, new)
