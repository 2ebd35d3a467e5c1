package dev.hotpath.internal

import java.io.IOException
import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.AclEntry
import java.nio.file.attribute.AclEntryPermission
import java.nio.file.attribute.AclEntryType
import java.nio.file.attribute.AclFileAttributeView
import java.nio.file.attribute.PosixFileAttributes
import java.nio.file.attribute.PosixFilePermission
import java.nio.file.attribute.UserPrincipal

/**
 * What the loader knows about one directory on the way to a library: enough to decide whether
 * someone other than the current user could put a file there. Read from the file system by
 * [DirectoryTrust.facts], or built by hand in tests.
 */
internal class DirectoryFacts(
    val path: Path,
    val exists: Boolean,
    val isDirectory: Boolean,
    val ownedByUser: Boolean,
    /** Owned by the administrator (uid 0): acceptable for ancestors such as `/` and `/home`. */
    val ownedByAdministrator: Boolean,
    /** Who besides the owner (and, on Windows, SYSTEM and Administrators) may create or replace entries. */
    val otherWriters: String?,
    /** The sticky bit: only an entry's owner may rename or delete it (`/tmp`). */
    val sticky: Boolean,
)

/**
 * Decides whether a cache directory can be trusted with a library this process will execute:
 * the current user owns it and no one else can write to it, and no one else can replace it by
 * writing to one of its ancestors (a writable ancestor is fine when it is sticky, like `/tmp`).
 * On Windows the owner comes from the owner attribute and the writers from the ACL; ancestors
 * are not checked there, because inherited ACLs make the directory's own ACL the effective one.
 */
internal object DirectoryTrust {
    /** Why [dir] may not be used, or null when it may; [ancestors] from the parent up to the root. */
    fun refusal(dir: DirectoryFacts, ancestors: List<DirectoryFacts>): String? {
        if (!dir.isDirectory) return "it is not a directory (a file of that name exists)"
        if (!dir.ownedByUser) return "it is owned by another user, not " + userName()
        if (dir.otherWriters != null) return "it is writable by " + dir.otherWriters
        for (a in ancestors) {
            if (!a.ownedByUser && !a.ownedByAdministrator) {
                return "its ancestor " + a.path + " is owned by another user, who could replace it"
            }
            if (a.otherWriters != null && !a.sticky) {
                return "its ancestor " + a.path + " is writable by " + a.otherWriters + " and not sticky, so it could be replaced"
            }
        }
        return null
    }

    /**
     * Checks [dir] as it is on disk. Pass a real path ([Path.toRealPath]): every ancestor is
     * then a directory, not a link someone could re-point after the check.
     */
    fun check(dir: Path): String? {
        return try {
            val self = facts(dir)
            if (!self.exists) return "it does not exist"
            val ancestors = ArrayList<DirectoryFacts>()
            if (posix) {
                var p = dir.parent
                while (p != null) {
                    ancestors.add(facts(p))
                    p = p.parent
                }
            }
            refusal(self, ancestors)
        } catch (e: IOException) {
            "its attributes cannot be read: " + e
        } catch (e: SecurityException) {
            "its attributes cannot be read: " + e
        }
    }

    private val posix: Boolean = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")

    private fun userName(): String = System.getProperty("user.name") ?: "?"

    /** The current user, or null when the name does not resolve (then nothing counts as theirs). */
    private val user: UserPrincipal? get() = UserHolder.USER

    /** Looked up only where owners are compared as principals (not on Linux, see [uid]). */
    private object UserHolder {
        @JvmField val USER: UserPrincipal? =
            try {
                FileSystems.getDefault().userPrincipalLookupService.lookupPrincipalByName(userName())
            } catch (_: IOException) {
                null
            } catch (_: UnsupportedOperationException) {
                null
            }
    }

    /**
     * This process's uid on Linux, the owner of `/proc/self`: owners are then compared by number,
     * with no user-database lookups (one per directory otherwise), and a uid without a passwd
     * entry (containers started with an arbitrary uid) still owns its directories.
     */
    private val uid: Int? =
        try {
            if (posix) Files.getAttribute(Paths.get("/proc/self"), "unix:uid") as Int else null
        } catch (_: Exception) {
            null
        }

    fun facts(path: Path): DirectoryFacts {
        val myUid = uid
        if (myUid != null) {
            val a = try {
                Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS)
            } catch (_: NoSuchFileException) {
                return DirectoryFacts(path, false, false, false, false, null, false)
            }
            val mode = a["mode"] as Int
            val owner = a["uid"] as Int
            val groupWrite = mode and GROUP_WRITE != 0
            val otherWrite = mode and OTHER_WRITE != 0
            val octal = "mode " + Integer.toOctalString(mode and PERMISSION_BITS)
            val writers = when {
                groupWrite && otherWrite -> "its group and everyone ($octal)"
                groupWrite -> "its group ($octal)"
                otherWrite -> "everyone ($octal)"
                else -> null
            }
            return DirectoryFacts(
                path,
                exists = true,
                isDirectory = mode and FILE_TYPE == DIRECTORY,
                ownedByUser = owner == myUid,
                ownedByAdministrator = owner == 0,
                otherWriters = writers,
                sticky = mode and STICKY != 0,
            )
        }
        if (posix) {
            val a = try {
                Files.readAttributes(path, PosixFileAttributes::class.java, LinkOption.NOFOLLOW_LINKS)
            } catch (_: NoSuchFileException) {
                return DirectoryFacts(path, false, false, false, false, null, false)
            }
            val owner = a.owner()
            val perms = a.permissions()
            val groupWrite = perms.contains(PosixFilePermission.GROUP_WRITE)
            val otherWrite = perms.contains(PosixFilePermission.OTHERS_WRITE)
            val writers = when {
                groupWrite && otherWrite -> "its group and everyone (mode " + modeString(perms) + ")"
                groupWrite -> "its group (mode " + modeString(perms) + ")"
                otherWrite -> "everyone (mode " + modeString(perms) + ")"
                else -> null
            }
            return DirectoryFacts(
                path,
                exists = true,
                isDirectory = a.isDirectory,
                ownedByUser = owner == user,
                ownedByAdministrator = owner.name == "root",
                otherWriters = writers,
                sticky = writers != null && sticky(path),
            )
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return DirectoryFacts(path, false, false, false, false, null, false)
        val owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS)
        val acl = Files.getFileAttributeView(path, AclFileAttributeView::class.java, LinkOption.NOFOLLOW_LINKS)
        val writers = if (acl == null) null else otherWriters(acl.acl, owner)
        return DirectoryFacts(
            path,
            exists = true,
            isDirectory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS),
            ownedByUser = owner == user,
            ownedByAdministrator = false,
            otherWriters = writers,
            sticky = false,
        )
    }

    /** The sticky bit, which the portable POSIX view leaves out; the JDK's `unix` view has it. */
    private fun sticky(path: Path): Boolean =
        try {
            val mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) as Int
            mode and STICKY != 0
        } catch (_: UnsupportedOperationException) {
            false
        } catch (_: IllegalArgumentException) {
            false
        }

    private const val STICKY = 0x200 // 01000
    // The st_mode bits, for the "unix" attribute view's raw mode (BundledLibrary reads them too).
    const val GROUP_WRITE: Int = 0x10 // 020
    const val OTHER_WRITE: Int = 0x2 // 02
    const val PERMISSION_BITS: Int = 0xfff // 07777
    const val FILE_TYPE: Int = 0xf000 // S_IFMT
    const val DIRECTORY: Int = 0x4000 // S_IFDIR
    const val REGULAR_FILE: Int = 0x8000 // S_IFREG

    /**
     * The principals, besides [owner], SYSTEM and Administrators, that an ACL allows to add,
     * replace or re-permission entries; null when there are none. Names are compared as Windows
     * reports them in English (`NT AUTHORITY\SYSTEM`, `BUILTIN\Administrators`).
     */
    fun otherWriters(acl: List<AclEntry>, owner: UserPrincipal): String? {
        val writers = ArrayList<String>()
        for (entry in acl) {
            if (entry.type() != AclEntryType.ALLOW) continue
            val who = entry.principal()
            if (who == owner || who == user || trustedWindowsPrincipal(who.name)) continue
            val p = entry.permissions()
            val writes = p.contains(AclEntryPermission.WRITE_DATA) || p.contains(AclEntryPermission.APPEND_DATA) ||
                p.contains(AclEntryPermission.DELETE_CHILD) || p.contains(AclEntryPermission.WRITE_ACL) ||
                p.contains(AclEntryPermission.WRITE_OWNER)
            if (writes && !writers.contains(who.name)) writers.add(who.name)
        }
        return if (writers.isEmpty()) null else java.lang.String.join(", ", writers)
    }

    private fun trustedWindowsPrincipal(name: String): Boolean =
        name.equals("NT AUTHORITY\\SYSTEM", ignoreCase = true) ||
            name.equals("BUILTIN\\Administrators", ignoreCase = true) ||
            name.equals("CREATOR OWNER", ignoreCase = true)

    private fun modeString(perms: Set<PosixFilePermission>): String =
        java.nio.file.attribute.PosixFilePermissions.toString(perms)
}
