import { makeStyles } from '@material-ui/core/styles';
import { ReactNode, useEffect, useRef } from 'react';
import AutoSizer from 'react-virtualized-auto-sizer';
import { FixedSizeList, ListChildComponentProps } from 'react-window';
import { LogEntry } from '../../hooks/useLogStream';
import { ansiSpans } from './ansi';

const ROW_HEIGHT = 20;
const LIST_HEIGHT = 560;
/** A scroll this soon after the user's wheel, touch or key is theirs. */
const INPUT_WINDOW_MS = 1000;

const useStyles = makeStyles(theme => ({
  root: {
    height: 560,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 12,
    background: theme.palette.type === 'dark' ? '#111' : '#1e1e1e',
    color: '#ddd',
    borderRadius: 4,
  },
  row: {
    display: 'flex',
    whiteSpace: 'pre',
    lineHeight: `${ROW_HEIGHT}px`,
    paddingRight: 8,
  },
  number: {
    // Not selectable: copying lines never copies their numbers.
    userSelect: 'none',
    // 4.5:1 on the dark background (WCAG 1.4.3).
    color: '#999',
    minWidth: 64,
    textAlign: 'right',
    paddingRight: 12,
  },
  stderr: { borderLeft: '2px solid #c0392b' },
  plain: { borderLeft: '2px solid transparent' },
  gap: { color: '#e6a23c', fontStyle: 'italic' },
  match: { background: '#8a6d00', color: '#fff' },
  active: { background: '#f0b400', color: '#000' },
}));

/**
 * The windowed list of log lines: only the rows on screen exist in the page, so a hundred
 * thousand lines scroll as smoothly as ten. Scrolling up pauses following; scrolling back to
 * the bottom resumes it.
 */
export function LogLinesView(props: {
  lines: LogEntry[];
  version: number;
  search: string;
  activeIndex?: number;
  /**
   * What the lines are read around (a match's or a time's sequence number); undefined for the
   * live tail. A new anchor mounts a new list that opens on the active line, so no scroll
   * position of the lines shown before (a tail thousands of rows long) can carry over.
   */
  anchor?: number;
  follow: boolean;
  onFollowChange(follow: boolean): void;
}) {
  const {
    lines,
    version,
    search,
    activeIndex,
    anchor,
    follow,
    onFollowChange,
  } = props;
  const classes = useStyles();
  const list = useRef<FixedSizeList>(null);
  // The buffer grows between renders; whether the view is at the bottom is judged against the
  // rows rendered now, never against lines that are not on the page yet.
  const rendered = lines.length;
  // Only the user leaves the tail. The browser scrolls on its own too (scroll anchoring, a list
  // mounting or growing), so a scroll pauses only right after the user's own input.
  const root = useRef<HTMLDivElement>(null);
  const lastInput = useRef(0);
  const pointerDown = useRef(false);
  useEffect(() => {
    const element = root.current;
    const input = () => {
      lastInput.current = Date.now();
    };
    const press = () => {
      pointerDown.current = true;
    };
    const release = () => {
      pointerDown.current = false;
    };
    const inputs = ['wheel', 'touchmove', 'keydown'];
    inputs.forEach(type =>
      element?.addEventListener(type, input, { passive: true }),
    );
    element?.addEventListener('mousedown', press);
    window.addEventListener('mouseup', release);
    return () => {
      inputs.forEach(type => element?.removeEventListener(type, input));
      element?.removeEventListener('mousedown', press);
      window.removeEventListener('mouseup', release);
    };
  }, []);

  useEffect(() => {
    if (follow && lines.length)
      list.current?.scrollToItem(lines.length - 1, 'end');
  }, [follow, version, lines.length]);

  // Also when other lines came in at the same index (the next match, read with its context).
  useEffect(() => {
    if (activeIndex !== undefined)
      list.current?.scrollToItem(activeIndex, 'center');
  }, [activeIndex, lines]);

  // Lines read around an anchor open with the active one in the middle; a list that mounts
  // with lines already loaded (the tail arrived before the first measurement) starts at the
  // bottom when following, not at the top.
  let initialOffset = 0;
  if (activeIndex !== undefined) {
    initialOffset = Math.max(
      0,
      activeIndex * ROW_HEIGHT - (LIST_HEIGHT - ROW_HEIGHT) / 2,
    );
  } else if (follow) {
    initialOffset = Math.max(0, rendered * ROW_HEIGHT - LIST_HEIGHT);
  }

  const needle = search.toLocaleLowerCase();
  const highlight = (text: string, active: boolean): ReactNode => {
    if (!needle) return text;
    const parts: ReactNode[] = [];
    const lower = text.toLocaleLowerCase();
    let from = 0;
    for (
      let at = lower.indexOf(needle);
      at >= 0;
      at = lower.indexOf(needle, from)
    ) {
      parts.push(text.slice(from, at));
      parts.push(
        <mark key={at} className={active ? classes.active : classes.match}>
          {text.slice(at, at + needle.length)}
        </mark>,
      );
      from = at + needle.length;
    }
    parts.push(text.slice(from));
    return parts;
  };

  const Row = ({ index, style }: ListChildComponentProps) => {
    const entry = lines[index];
    if ('gap' in entry) {
      return (
        <div
          style={style}
          className={`${classes.row} ${classes.gap}`}
          data-testid="log-gap"
        >
          <span className={classes.number} />
          Lines {entry.from}–{entry.to} are no longer kept and were skipped.
        </div>
      );
    }
    return (
      <div
        style={style}
        className={`${classes.row} ${
          entry.stream === 'stderr' ? classes.stderr : classes.plain
        }`}
        data-testid="log-line"
      >
        <span className={classes.number} aria-hidden>
          {entry.seq}
        </span>
        <span>
          {ansiSpans(entry.line).map((span, i) => (
            <span
              key={i}
              style={{
                color: span.color,
                background: span.background,
                fontWeight: span.bold ? 'bold' : undefined,
              }}
            >
              {highlight(span.text, index === activeIndex)}
            </span>
          ))}
        </span>
      </div>
    );
  };

  return (
    <div className={classes.root} data-testid="log-lines" ref={root}>
      <AutoSizer disableHeight>
        {({ width }) => (
          <FixedSizeList
            key={anchor ?? 'tail'}
            ref={list}
            height={LIST_HEIGHT}
            width={width}
            itemCount={rendered}
            // Chromium's scroll anchoring would move a list whose rows are replaced under it.
            style={{ overflowAnchor: 'none' }}
            itemSize={ROW_HEIGHT}
            overscanCount={20}
            initialScrollOffset={initialOffset}
            onScroll={({
              scrollOffset,
              scrollDirection,
              scrollUpdateWasRequested,
            }) => {
              if (scrollUpdateWasRequested) return;
              const bottom = rendered * ROW_HEIGHT - LIST_HEIGHT;
              const atBottom = scrollOffset >= bottom - ROW_HEIGHT * 2;
              // Only the user scrolling up pauses: react-window also reports the position on
              // mount (offset 0, "forward"), and the browser may move it, neither is the user.
              const byUser =
                pointerDown.current ||
                Date.now() - lastInput.current < INPUT_WINDOW_MS;
              if (atBottom && !follow) onFollowChange(true);
              else if (
                !atBottom &&
                follow &&
                scrollDirection === 'backward' &&
                byUser
              )
                onFollowChange(false);
              else if (!atBottom && follow)
                list.current?.scrollToItem(rendered - 1, 'end');
            }}
          >
            {Row}
          </FixedSizeList>
        )}
      </AutoSizer>
    </div>
  );
}
