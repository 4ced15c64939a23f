// The live output of one agent: stdout and stderr as they arrive (stderr marked), ANSI colours
// rendered, a follow mode that lets go when the user scrolls up, search with highlighted matches
// (and, on request, of the log files on disk for older lines), a stream filter, copy, and the log
// files' folder. Only the rows on screen are in the DOM, so a log of 100,000 lines scrolls like a
// short one.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type WheelEvent } from 'react';
import { useTray, useTrayActions, useTrayStore } from '../../store/react.js';
import { ringAt } from '../../store/ring.js';
import { actionKey, errorFor, isPending } from '../../store/selectors.js';
import type { AgentLog } from '../../store/types.js';
import { ErrorNote } from '../common/ErrorNote.js';
import type { LogStream } from '../../../shared/status.js';
import { plainText } from './ansi.js';
import { copyText } from './clipboard.js';
import { DiskSearch } from './DiskSearch.js';
import { appendedSince, countBelow, rowPositions, updateLogIndex, type LogIndex, type StreamFilter } from './log-index.js';
import { LogRow } from './LogRow.js';
import { plural } from '../../store/format.js';
import './logs.css';

/** The height of every row in px (logs.css gives rows the same height). */
export const LOG_ROW_HEIGHT = 18;
/** Closer than this to the end (px) counts as at the end. */
const END_SLACK = 4;
/** How long "Copied" stays. */
const FEEDBACK_MS = 2000;


/** True for an element that takes typed text (where `/` and End belong to it). */
function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type);
  return false;
}

/** A short message that disappears by itself; `id` restarts its timer when the same text repeats. */
interface Feedback {
  text: string;
  id: number;
}

/** A message that clears itself after FEEDBACK_MS. */
function useFeedback(): [Feedback | null, (text: string | null) => void] {
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  useEffect(() => {
    if (!feedback) return;
    const timer = setTimeout(() => setFeedback(null), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [feedback]);
  const show = useCallback((text: string | null) => setFeedback((f) => (text === null ? null : { text, id: (f?.id ?? 0) + 1 })), []);
  return [feedback, show];
}

/** The output of agent `name`, live. */
export function LogView({ name }: { name: string }) {
  const store = useTrayStore();
  const actions = useTrayActions();
  const exists = useTray((s) => name in s.agents.byName);
  const known = useTray((s) => s.agents.snapshotAt !== null);
  const outputCaptured = useTray((s) => s.agents.byName[name]?.outputCaptured ?? true);
  const log = useTray((s) => s.logs.byAgent[name]);
  const loadError = useTray((s) => errorFor(s.ui, 'logs', name));
  const openError = useTray((s) => errorFor(s.ui, 'openLogs', name));
  const opening = useTray((s) => isPending(s.ui, 'openLogs', name));

  const [query, setQuery] = useState('');
  const [stream, setStream] = useState<StreamFilter>('all');
  const [onlyMatching, setOnlyMatching] = useState(false);
  const [follow, setFollow] = useState(true);
  const [folder, setFolder] = useState<string | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);
  const [copied, showCopied] = useFeedback();
  const [pathCopied, showPathCopied] = useFeedback();
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // the lines from before the window opened, once per agent (not again while they load)
  useEffect(() => {
    if (!exists) return;
    if ((store.getState().logs.byAgent[name]?.backlog ?? 'none') === 'none') void actions.loadLogs(name);
  }, [store, actions, name, exists]);

  // which lines are shown: kept up to date line by line as the log grows
  const indexCache = useRef<LogIndex | null>(null);
  const index = useMemo(() => {
    const next = updateLogIndex(indexCache.current, log, stream, query);
    indexCache.current = next;
    return next;
  }, [log, stream, query]);
  const filtering = onlyMatching && index.matching !== null;
  const positions = rowPositions(index, filtering);
  const total = log?.lines.length ?? 0;
  const count = positions ? positions.length : total;
  // per stream, the texts of the matching lines the view holds (and how often each): the disk search leaves those out
  const shownMatches = useCallback(() => {
    const shown: Record<LogStream, Map<string, number>> = { stdout: new Map(), stderr: new Map() };
    for (const p of index.matching ?? []) {
      const line = log ? ringAt(log.lines, p) : undefined;
      if (line) shown[line.stream].set(line.text, (shown[line.stream].get(line.text) ?? 0) + 1);
    }
    return shown;
  }, [log, index]);

  // following: a view made shorter or taller (the disk search's results below it) keeps the newest line in view
  const followRef = useRef(follow);
  followRef.current = follow;
  /** The view's height at the last look: a scroll that comes with another height was the layout's, not the user's. */
  const viewHeight = useRef<number | null>(null);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      viewHeight.current = el.clientHeight;
      if (followRef.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [exists]);
  const lineAt = useCallback((row: number) => (log ? ringAt(log.lines, positions ? (positions[row] ?? -1) : row) : undefined), [log, positions]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    overscan: 10,
  });

  // not following, at the cap: the oldest lines drop as new ones arrive, so the rows the user
  // reads move up; the view moves with them by as many rows as went
  const shownBefore = useRef<{ log: AgentLog | undefined; positions: number[] | null; filters: string } | null>(null);
  const filters = `${stream}\u0000${query}\u0000${filtering}`;
  useLayoutEffect(() => {
    const prev = shownBefore.current;
    shownBefore.current = { log, positions, filters };
    if (follow || !prev || prev.filters !== filters || !prev.log || !log || prev.log === log) return;
    const delta = appendedSince(prev.log, log);
    if (!delta || delta.dropped === 0) return;
    const gone = prev.positions ? countBelow(prev.positions, delta.dropped) : Math.min(delta.dropped, prev.log.lines.length);
    const el = scrollRef.current;
    if (el && gone > 0) el.scrollTop = Math.max(0, el.scrollTop - gone * LOG_ROW_HEIGHT);
  }, [log, positions, filters, follow]);

  // following: the newest line stays in view as lines arrive or the filter changes
  useLayoutEffect(() => {
    if (!follow) return;
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [follow, count, log, positions]);

  const jumpToLatest = useCallback(() => {
    setFollow(true);
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  const focusSearch = useCallback(() => {
    searchRef.current?.focus();
    searchRef.current?.select();
  }, []);

  // `/` or Ctrl+F: search; End: back to the newest line (unless the key belongs to a text field or the editor is open)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || store.getState().ui.editor !== null) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        focusSearch();
        return;
      }
      if (mod || isEditable(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        focusSearch();
      } else if (e.key === 'End') {
        e.preventDefault();
        jumpToLatest();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store, focusSearch, jumpToLatest]);

  /** Whether the view is at its end, after any scroll (the user's or ours); one that came with a new height keeps following. */
  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const resized = viewHeight.current !== null && viewHeight.current !== el.clientHeight;
    viewHeight.current = el.clientHeight;
    if (resized && followRef.current) {
      el.scrollTop = el.scrollHeight;
      return;
    }
    setFollow(el.scrollHeight - el.scrollTop - el.clientHeight <= END_SLACK);
  };
  // the user's intent to scroll up stops following at once, before the next line can pull the view back down
  const onWheel = (e: WheelEvent) => {
    const el = scrollRef.current;
    if (e.deltaY < 0 && el && el.scrollHeight > el.clientHeight) setFollow(false);
  };
  const onLogKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'Home') setFollow(false);
  };

  const onSearchKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && query !== '') {
      e.preventDefault();
      e.stopPropagation();
      setQuery('');
    }
  };

  const copyLines = async () => {
    const texts: string[] = [];
    for (let row = 0; row < count; row++) {
      const line = lineAt(row);
      if (line) texts.push(plainText(line.text));
    }
    const error = await copyText(texts.join('\n'));
    setCopyError(error);
    showCopied(error ? null : `Copied ${plural(texts.length, 'line', 'lines')}`);
  };

  const openFolder = async () => {
    const outcome = await actions.openLogFolder(name);
    if (outcome.ok) setFolder(outcome.result.opened ? null : outcome.result.folder);
  };

  const copyFolder = async (path: string) => {
    const error = await copyText(path);
    setCopyError(error);
    showPathCopied(error ? null : 'Copied');
  };

  if (!exists) {
    return <p className="log-view log-view--missing muted">{known ? `There is no agent named ${name}.` : 'Connecting…'}</p>;
  }

  const matchCount = index.matching?.length ?? 0;
  const items = virtualizer.getVirtualItems();
  let emptyText: string | null = null;
  if (count === 0) {
    if (total > 0) emptyText = 'No lines match.';
    else if (!outputCaptured) emptyText = 'Agent Tray found this agent already running and did not start it, so its output is not captured. Restart it to see its output here.';
    else if (log?.backlog === 'loading') emptyText = 'Loading recent output…';
    else emptyText = 'No output yet.';
  }

  return (
    <section className="log-view" aria-label={`Logs of ${name}`}>
      <div className="log-toolbar" role="toolbar" aria-label="Log tools">
        <input
          ref={searchRef}
          className="log-search"
          type="search"
          placeholder="Search output  ( / )"
          aria-label="Search output"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKeyDown}
        />
        {query !== '' && (
          <span className="log-match-count" aria-live="polite">
            {matchCount === 0 ? 'No matches' : plural(matchCount, 'matching line', 'matching lines')}
          </span>
        )}
        <label className="log-only-matching">
          <input type="checkbox" checked={onlyMatching} disabled={query === ''} onChange={(e) => setOnlyMatching(e.target.checked)} />
          Only matching lines
        </label>
        <select className="log-stream" aria-label="Streams" value={stream} onChange={(e) => setStream(e.target.value as StreamFilter)}>
          <option value="all">stdout and stderr</option>
          <option value="stdout">stdout only</option>
          <option value="stderr">stderr only</option>
        </select>
        <span className="log-toolbar__spacer" />
        <button type="button" className="log-follow" aria-pressed={follow} title="Keep the newest line in view (End)" onClick={() => (follow ? setFollow(false) : jumpToLatest())}>
          Follow
        </button>
        <button type="button" onClick={() => void copyLines()} disabled={count === 0} title="Copy the lines shown, without colour codes">
          Copy
        </button>
        {copied && (
          <span className="log-feedback" role="status">
            {copied.text}
          </span>
        )}
        <button type="button" onClick={() => void openFolder()} disabled={opening}>
          Open log folder
        </button>
      </div>

      {copyError && (
        <p className="inline-error log-note" role="alert">
          {copyError}
        </p>
      )}
      {openError && <ErrorNote error={openError} onDismiss={() => actions.dismissError(actionKey('openLogs', name))} />}
      {loadError && (
        <ErrorNote error={loadError} onDismiss={() => actions.dismissError(actionKey('logs', name))}>
          <button type="button" onClick={() => void actions.loadLogs(name)}>
            Retry
          </button>
        </ErrorNote>
      )}
      {folder !== null && (
        <p className="log-note log-folder">
          <span>
            This window cannot open a file manager. The log files are in <code className="log-folder__path">{folder}</code>
          </span>
          <button type="button" onClick={() => void copyFolder(folder)}>
            Copy path
          </button>
          {pathCopied && <span role="status">{pathCopied.text}</span>}
          <button type="button" className="log-note__dismiss" aria-label="Hide the folder" onClick={() => setFolder(null)}>
            ×
          </button>
        </p>
      )}
      {log && log.dropped > 0 && (
        <p className="log-note log-dropped muted">
          {plural(log.dropped, 'line', 'lines')} dropped: the window keeps the newest {log.lines.cap.toLocaleString()}.
        </p>
      )}

      <div className="log-body">
        <div
          ref={scrollRef}
          className="log-scroll"
          role="log"
          aria-label={`Output of ${name}`}
          // rows come and go as the list scrolls: announcing them would read the log aloud line by line
          aria-live="off"
          tabIndex={0}
          onScroll={onScroll}
          onWheel={onWheel}
          onKeyDown={onLogKeyDown}
        >
          <div className="log-canvas" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const line = lineAt(item.index);
              return line ? <LogRow key={line.seq} line={line} matcher={index.matcher} top={item.start} /> : null;
            })}
          </div>
        </div>
        {emptyText && <p className="log-empty muted">{emptyText}</p>}
        {!follow && count > 0 && (
          <button type="button" className="log-jump primary" onClick={jumpToLatest}>
            Jump to latest
          </button>
        )}
      </div>

      <DiskSearch name={name} query={query} stream={stream} matcher={index.matcher} shownMatches={shownMatches} />

      <p className="log-status muted">
        {filtering || stream !== 'all' ? `${count.toLocaleString()} of ${plural(total, 'line', 'lines')}` : plural(total, 'line', 'lines')}
        {log?.backlog === 'loading' && ' · loading recent output…'}
      </p>
    </section>
  );
}
