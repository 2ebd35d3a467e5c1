package dev.hotpath.internal

import org.junit.jupiter.api.Test
import java.nio.file.Paths
import java.nio.file.attribute.AclEntry
import java.nio.file.attribute.AclEntryPermission
import java.nio.file.attribute.AclEntryType
import java.nio.file.attribute.UserPrincipal
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The trust rules on injected attributes: every OS's answer without needing that OS or another user. */
class DirectoryTrustTest {
    private fun dir(
        path: String,
        isDirectory: Boolean = true,
        mine: Boolean = true,
        admin: Boolean = false,
        writers: String? = null,
        sticky: Boolean = false,
    ) = DirectoryFacts(Paths.get(path), true, isDirectory, mine, admin, writers, sticky)

    private val root = dir("/", mine = false, admin = true)
    private val home = dir("/home", mine = false, admin = true)

    @Test
    fun ownDirectoryUnderAdministratorOwnedAncestorsIsTrusted() {
        assertNull(DirectoryTrust.refusal(dir("/home/me/.cache/hotpath"), listOf(dir("/home/me/.cache"), dir("/home/me"), home, root)))
    }

    @Test
    fun regularFileIsRefusedAsNotADirectory() {
        val why = assertNotNull(DirectoryTrust.refusal(dir("/home/me/.cache/hotpath", isDirectory = false), listOf(root)))
        assertTrue(why.contains("not a directory"), why)
    }

    @Test
    fun directoryOfAnotherOwnerIsRefused() {
        val why = assertNotNull(DirectoryTrust.refusal(dir("/tmp/hotpath-me", mine = false), listOf(dir("/tmp", mine = false, admin = true, writers = "everyone", sticky = true), root)))
        assertTrue(why.contains("owned by another user"), why)
    }

    @Test
    fun directoryWritableByOthersIsRefused() {
        val why = assertNotNull(DirectoryTrust.refusal(dir("/srv/cache", writers = "its group (mode rwxrwxr-x)"), listOf(root)))
        assertTrue(why.contains("writable by its group"), why)
    }

    @Test
    fun ownDirectoryInAStickyWorldWritableParentIsTrusted() {
        assertNull(DirectoryTrust.refusal(dir("/tmp/hotpath-me"), listOf(dir("/tmp", mine = false, admin = true, writers = "everyone", sticky = true), root)))
    }

    @Test
    fun ancestorWritableByOthersWithoutStickyBitIsRefused() {
        val why = assertNotNull(DirectoryTrust.refusal(dir("/shared/me/cache"), listOf(dir("/shared/me"), dir("/shared", admin = true, mine = false, writers = "everyone"), root)))
        assertTrue(why.contains("ancestor /shared is writable by everyone and not sticky"), why)
    }

    @Test
    fun ancestorOwnedByAnotherUserIsRefused() {
        val why = assertNotNull(DirectoryTrust.refusal(dir("/home/alice/me-cache"), listOf(dir("/home/alice", mine = false), home, root)))
        assertTrue(why.contains("ancestor /home/alice is owned by another user"), why)
    }

    private class Principal(private val n: String) : UserPrincipal {
        override fun getName(): String = n

        override fun equals(other: Any?): Boolean = other is Principal && other.n == n

        override fun hashCode(): Int = n.hashCode()
    }

    private fun allow(who: String, vararg permissions: AclEntryPermission): AclEntry =
        AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(Principal(who)).setPermissions(*permissions).build()

    @Test
    fun windowsAclGrantingOnlyOwnerSystemAndAdministratorsHasNoOtherWriters() {
        val acl = listOf(
            allow("HOST\\me", AclEntryPermission.WRITE_DATA, AclEntryPermission.DELETE_CHILD),
            allow("NT AUTHORITY\\SYSTEM", AclEntryPermission.WRITE_DATA),
            allow("BUILTIN\\Administrators", AclEntryPermission.WRITE_DATA),
            allow("BUILTIN\\Users", AclEntryPermission.READ_DATA, AclEntryPermission.EXECUTE),
        )
        assertNull(DirectoryTrust.otherWriters(acl, Principal("HOST\\me")))
    }

    @Test
    fun windowsAclLettingEveryoneAddFilesNamesThem() {
        val acl = listOf(
            allow("HOST\\me", AclEntryPermission.WRITE_DATA),
            allow("Everyone", AclEntryPermission.APPEND_DATA),
            allow("BUILTIN\\Users", AclEntryPermission.WRITE_ACL),
            AclEntry.newBuilder().setType(AclEntryType.DENY).setPrincipal(Principal("Guests")).setPermissions(AclEntryPermission.WRITE_DATA).build(),
        )
        assertEquals("Everyone, BUILTIN\\Users", DirectoryTrust.otherWriters(acl, Principal("HOST\\me")))
    }
}
