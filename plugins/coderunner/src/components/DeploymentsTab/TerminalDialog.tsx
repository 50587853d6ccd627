import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import Alert from '@material-ui/lab/Alert';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { terminalApiRef, TerminalHandlers } from '../../api';
import {
  CoderunnerTranslate,
  coderunnerTranslationRef,
} from '../../translation';

type TerminalEnd = Parameters<TerminalHandlers['onEnd']>[0];

type Status =
  | { state: 'connecting' }
  | { state: 'live'; idleTimeoutSeconds: number }
  | { state: 'ended'; end: TerminalEnd };

const minutes = (seconds: number, t: CoderunnerTranslate) =>
  seconds % 60 === 0
    ? t('deploymentsTab.terminal.minutes', { minutes: String(seconds / 60) })
    : t('deploymentsTab.terminal.seconds', { seconds: String(seconds) });

/** Why the client ended a session, in the app's language. */
function problemText(
  problem: NonNullable<TerminalEnd['problem']>,
  t: CoderunnerTranslate,
): string {
  const detail = problem.detail ?? '';
  switch (problem.kind) {
    case 'lost':
      return detail
        ? t('deploymentsTab.terminal.problems.lostWithDetail', { detail })
        : t('deploymentsTab.terminal.problems.lost');
    case 'not-opened':
      return t('deploymentsTab.terminal.problems.notOpened', { detail });
    case 'closed-before-open':
      return t('deploymentsTab.terminal.problems.closedBeforeOpen');
    default:
      return t('deploymentsTab.terminal.problems.unreachable', { detail });
  }
}

/** How the end of a session reads, and how alarming it is. */
export function ended(
  end: TerminalEnd,
  t: CoderunnerTranslate,
): { severity: 'info' | 'warning' | 'error'; message: string } {
  const message = end.problem ? problemText(end.problem, t) : end.message;
  switch (end.reason) {
    case 'exited':
    case 'closed':
      return { severity: 'info', message };
    case 'idle-timeout':
    case 'session-limit':
      return { severity: 'warning', message };
    case 'instance-stopped':
      return {
        severity: 'warning',
        message: t('deploymentsTab.terminal.instanceStopped', { message }),
      };
    case 'forbidden':
      return {
        severity: 'error',
        message: t('deploymentsTab.terminal.forbidden', { message }),
      };
    default:
      return { severity: 'error', message };
  }
}

/**
 * A terminal in one running instance: xterm.js joined to a shell in the instance's sandbox.
 * Full screen on a phone. Ctrl+Shift+C and Ctrl+Shift+V (⌘C and ⌘V on a Mac) copy the
 * selection and paste, as do the buttons; Ctrl+C goes to the shell.
 */
export function TerminalDialog(props: {
  entityRef: string;
  environment: string;
  instanceId: string;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(coderunnerTranslationRef);
  const { entityRef, environment, instanceId, onClose } = props;
  const terminalApi = useApi(terminalApiRef);
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('xs'));
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  // React detaches refs (calls them with null) while a Suspense boundary above hides this
  // dialog, for instance while another part of the page loads its code, and attaches the same
  // element again after. Only a new element is a new terminal: the session lives on meanwhile,
  // instead of ending and a new shell starting on an empty screen.
  const attach = useCallback((element: HTMLDivElement | null) => {
    if (element) setContainer(element);
  }, []);
  const terminalRef = useRef<Terminal>();
  const [status, setStatus] = useState<Status>({ state: 'connecting' });
  const short = instanceId.slice(0, 8);

  useEffect(() => {
    if (!container) return undefined;
    const terminal = new Terminal({
      screenReaderMode: true,
      cursorBlink: true,
      fontSize: 13,
      fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", monospace',
      theme: { background: '#1e1e1e', foreground: '#e0e0e0' },
    });
    terminalRef.current = terminal;
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(container);
    fit.fit();
    const connection = terminalApi.open(
      {
        entityRef,
        environment,
        instanceId,
        cols: terminal.cols,
        rows: terminal.rows,
      },
      {
        onReady: info => {
          setStatus({
            state: 'live',
            idleTimeoutSeconds: info.idleTimeoutSeconds,
          });
          terminal.focus();
        },
        onOutput: data => terminal.write(data),
        onEnd: end => {
          setStatus({ state: 'ended', end });
          terminal.options.disableStdin = true;
        },
      },
    );
    const typed = terminal.onData(data => connection.write(data));
    const resized = terminal.onResize(size =>
      connection.resize(size.cols, size.rows),
    );
    terminal.attachCustomKeyEventHandler(event => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) {
        return true;
      }
      if (event.code === 'KeyC') {
        event.preventDefault();
        if (terminal.hasSelection()) {
          void navigator.clipboard?.writeText(terminal.getSelection());
        }
        return false;
      }
      // Not typed as Ctrl+V: the browser's own paste event follows, which xterm.js pastes.
      return event.code !== 'KeyV';
    });
    // Fit to the dialog whenever it changes size (window, phone rotation).
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // Not laid out (closing): nothing to fit.
      }
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      typed.dispose();
      resized.dispose();
      connection.close();
      terminal.dispose();
      terminalRef.current = undefined;
    };
  }, [container, terminalApi, entityRef, environment, instanceId]);

  const copy = () => {
    const selection = terminalRef.current?.getSelection();
    if (selection) void navigator.clipboard?.writeText(selection);
    terminalRef.current?.focus();
  };
  const paste = async () => {
    const text = await navigator.clipboard?.readText().catch(() => undefined);
    if (text) terminalRef.current?.paste(text);
    terminalRef.current?.focus();
  };

  const end = status.state === 'ended' ? ended(status.end, t) : undefined;

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      fullScreen={phone}
      aria-labelledby="coderunner-terminal-title"
      data-testid="coderunner-terminal-dialog"
    >
      <DialogTitle id="coderunner-terminal-title">
        {t('deploymentsTab.terminal.title', { instance: short, environment })}
      </DialogTitle>
      <DialogContent>
        <Box mb={1} data-testid="coderunner-terminal-status">
          {status.state === 'connecting' && (
            <Typography variant="body2" role="status">
              {t('deploymentsTab.terminal.connecting')}
            </Typography>
          )}
          {status.state === 'live' && (
            <Typography variant="body2" role="status">
              {t('deploymentsTab.terminal.connected', {
                idle: minutes(status.idleTimeoutSeconds, t),
              })}
            </Typography>
          )}
          {end && (
            <Alert severity={end.severity} role="alert">
              {end.message}
            </Alert>
          )}
        </Box>
        <div
          role="group"
          aria-label={t('deploymentsTab.terminal.label', { instance: short })}
          data-testid="coderunner-terminal"
          ref={attach}
          style={{
            height: phone ? 'calc(100vh - 220px)' : '60vh',
            minHeight: 200,
            background: '#1e1e1e',
            padding: 4,
          }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={copy}>{t('deploymentsTab.terminal.copy')}</Button>
        <Button onClick={() => void paste()}>
          {t('deploymentsTab.terminal.paste')}
        </Button>
        <Button onClick={onClose} color="primary">
          {t('deploymentsTab.terminal.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
