import type { ChangeCapture } from './sandbox.js';
import type { SandboxPrograms } from './sandbox-programs.js';

/** The wrapper's own failure (not the step's): like env(1) and docker, 125. */
export const CAPTURE_MOUNT_FAILED_EXIT = 125;

/**
 * Mounts the overlay over the workspace, then execs the rest of its
 * arguments. Positional: $1 workspace, $2 upper, $3 work, $4 mount program.
 * The paths never enter the script text, and the mount options name them
 * as /proc/self/fd/N: overlay's option syntax has no quoting for the commas,
 * colons and backslashes a path may hold. The descriptors are closed before
 * the exec, so the step never inherits them. redirect_dir and metacopy are
 * off whatever the kernel's defaults: with them a rename or chmod is
 * recorded as an xattr on a stub, which change capture cannot read as a change.
 */
const MOUNT_THEN_EXEC = [
  'for dir in "$1" "$2" "$3"; do',
  `  [ -d "$dir" ] || { echo "flowline sandbox: change capture: $dir is not a directory" >&2; exit ${CAPTURE_MOUNT_FAILED_EXIT}; }`,
  'done',
  'exec 3<"$1" 4<"$2" 5<"$3"',
  'if ! "$4" -t overlay overlay -o lowerdir=/proc/self/fd/3,upperdir=/proc/self/fd/4,workdir=/proc/self/fd/5,redirect_dir=off,metacopy=off "$1"; then',
  `  echo "flowline sandbox: cannot mount the change-capture overlay on $1" >&2; exit ${CAPTURE_MOUNT_FAILED_EXIT}`,
  'fi',
  'exec 3<&- 4<&- 5<&-',
  'shift 4',
  'exec "$@"',
].join('\n');

/**
 * Runs `command` with the workspace overlaid: a private mount namespace
 * (unshare -m, so the host never sees the mount and it vanishes with the
 * process), the overlay mounted on the workspace path itself (so the bwrap
 * bind that follows picks it up), then an exec. Every program execs the
 * next, so the spawned pid ends up bwrap's and killing it ends the step.
 */
export function withOverlay(
  workspace: string,
  capture: ChangeCapture,
  programs: SandboxPrograms,
  command: readonly string[],
): { file: string; args: string[] } {
  const script = [programs.sh, '-c', MOUNT_THEN_EXEC, 'flowline-capture'];
  const positional = [workspace, capture.upperDir, capture.workDir, programs.mount];
  return {
    file: programs.unshare,
    args: ['--mount', '--propagation', 'private', '--', ...script, ...positional, ...command],
  };
}
