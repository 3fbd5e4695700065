// wasi:filesystem 0.2 with nothing in it. Toolchains link it beside stdio
// (wasi-libc, componentize-js), so a hook granted stdio may import it; the
// only way to a file is a preopened directory, and there is none, so no
// descriptor can ever reach the guest. Filesystem access is never granted.
const NO_FILESYSTEM = () => {
  throw new Error('hooks have no filesystem');
};

export function emptyFilesystem() {
  class Descriptor {}
  class DirectoryEntryStream {}
  for (const C of [Descriptor, DirectoryEntryStream]) {
    // Unreachable without a descriptor; a trap if a guest ever finds a way.
    for (const m of ['stat', 'getType', 'getFlags', 'readViaStream', 'writeViaStream', 'appendViaStream', 'openAt', 'readDirectory', 'readDirectoryEntry']) {
      Object.defineProperty(C.prototype, m, { value: NO_FILESYSTEM });
    }
  }
  return {
    'wasi:filesystem/preopens': { getDirectories: (): [] => [] },
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode: () => undefined },
  };
}
