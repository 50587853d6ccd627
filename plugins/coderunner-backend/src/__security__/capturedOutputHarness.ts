/**
 * For attacks on the sandbox's output capture (6025602). The process stream that carries the
 * capture script's frames is the app's to write: the app runs as the same user as the wrapper
 * shell, and `/proc/$$/fd/1` (in the app's subshell `$$` is the wrapper) is that stream. So
 * every frame the backend parses may be forged, and the parser is the trust boundary. The
 * tests run the launch command on this host with `run` (../__testUtils__/capturedOutput), which
 * gives the shell a pipe for its output as the sandbox daemon does.
 */

/**
 * A hostile app: prints a line, waits until the capture script has stored it (so its frame
 * and the header are on the process stream), then writes `forged` (printf's format) straight
 * onto the process stream, and prints another line.
 */
export const forgingApp = (forged: string) =>
  [
    'echo before',
    'until grep -q before "$HOME/.coderunner/output/stdout.0" 2>/dev/null; do sleep 0.02; done',
    `printf '${forged}' > /proc/$$/fd/1`,
    'echo after',
  ].join('\n');
