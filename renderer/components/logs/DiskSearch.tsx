// The search of the agent's log files on disk, under the lines the view holds: on request, the
// matches the view does not show (page by page, through the API's cursor), below a divider that
// says they come from the log files, each with its time and its file.
import { useEffect, useId, useRef, useState } from 'react';
import type { LogSearchMatch } from '../../../shared/commands.js';
import type { LogStream } from '../../../shared/status.js';
import { formatClock, plural } from '../../store/format.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { actionKey, errorFor, isPending } from '../../store/selectors.js';
import { ErrorNote } from '../common/ErrorNote.js';
import type { StreamFilter } from './log-index.js';
import { LineText } from './LogRow.js';
import type { LogMatcher } from './search.js';

export interface DiskSearchProps {
  name: string;
  /** The view's search text; nothing is shown without one. */
  query: string;
  stream: StreamFilter;
  /** The view's matcher, for the highlights. */
  matcher: LogMatcher | null;
  /** The texts of the matching lines of each stream the view holds, with how often each: the newest matches on disk with those texts are those lines, and are left out. */
  shownMatches: () => Record<LogStream, Map<string, number>>;
}

/** What the pages so far found. */
interface Found {
  matches: LogSearchMatch[];
  cursor: string | null;
  scannedBytes: number;
}


/** Bytes as "3.2 MB". */
function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The date and time of a line, in this window's time zone. */
function formatWhen(iso: string): string {
  const at = new Date(iso);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')} ${formatClock(at.getTime())}`;
}

/** What the pages found, in words. */
function summary(found: Found): string {
  const searched = `${formatSize(found.scannedBytes)} of log files searched`;
  if (found.matches.length > 0) return `${plural(found.matches.length, 'older matching line', 'older matching lines')} · ${searched}${found.cursor ? ' · older files remain' : ''}`;
  return found.cursor ? `No older matches yet · ${searched}` : `No older matches in the log files · ${searched}`;
}

/** One line found on disk: time, file and line number, then the text with the query marked. */
function DiskMatch({ match, matcher }: { match: LogSearchMatch; matcher: LogMatcher | null }) {
  const where = match.line === null ? match.file : `${match.file}:${match.line}`;
  return (
    <li className={`log-disk__item log-disk__item--${match.stream}`} data-stream={match.stream}>
      {match.ts ? (
        <time className="log-disk__when" dateTime={match.ts}>
          {formatWhen(match.ts)}
        </time>
      ) : (
        <span className="log-disk__when" title="The line begins with no time, and log files keep none">
          no time
        </span>
      )}
      <span className="log-disk__where">{where}</span>
      {match.stream === 'stderr' && <span className="visually-hidden">stderr: </span>}
      <span className="log-disk__text">
        <LineText text={match.text} matcher={matcher} />
      </span>
    </li>
  );
}

/** The disk search of agent `name` for the view's query and stream. */
export function DiskSearch({ name, query, stream, matcher, shownMatches }: DiskSearchProps) {
  const actions = useTrayActions();
  const error = useTray((s) => errorFor(s.ui, 'searchLogs', name));
  const busy = useTray((s) => isPending(s.ui, 'searchLogs', name));
  const [found, setFound] = useState<Found | null>(null);
  const skip = useRef<Record<LogStream, Map<string, number>>>({ stdout: new Map(), stderr: new Map() });
  const generation = useRef(0);
  const focusSummary = useRef(false);
  const summaryRef = useRef<HTMLParagraphElement>(null);
  const headingId = useId();

  // the results belong to one query and stream: another starts over (an answer still on its way is dropped)
  useEffect(() => {
    generation.current++;
    setFound(null);
    actions.dismissError(actionKey('searchLogs', name));
  }, [actions, name, query, stream]);

  // "More older results" went away with the last page: the focus goes to what the pages found
  useEffect(() => {
    if (!focusSummary.current || !found || found.cursor) return;
    focusSummary.current = false;
    summaryRef.current?.focus();
  }, [found]);

  /** Fetches the first page (no cursor) or the next one. */
  const fetchPage = async (cursor: string | null) => {
    const gen = generation.current;
    if (cursor === null) skip.current = shownMatches();
    const outcome = await actions.searchLogs(name, query, { stream, cursor });
    if (gen !== generation.current || !outcome.ok) return;
    const older = outcome.result.matches.filter((m) => {
      const shown = skip.current[m.stream];
      const left = shown.get(m.text) ?? 0;
      if (left <= 0) return true;
      shown.set(m.text, left - 1);
      return false;
    });
    setFound((prev) => ({
      matches: cursor && prev ? [...prev.matches, ...older] : older,
      cursor: outcome.result.cursor,
      scannedBytes: (cursor && prev ? prev.scannedBytes : 0) + outcome.result.scannedBytes,
    }));
  };

  const more = () => {
    focusSummary.current = true;
    if (found?.cursor) void fetchPage(found.cursor);
  };

  if (query === '') return null;
  return (
    <section className="log-disk" aria-label="Search of the log files on disk">
      {found === null && (
        <button type="button" className="log-disk__start" disabled={busy} onClick={() => void fetchPage(null)} title="Search the agent's log files for older lines that match">
          Search older logs on disk
        </button>
      )}
      {error && (
        <ErrorNote error={error} label="Search of the log files" onDismiss={() => actions.dismissError(actionKey('searchLogs', name))}>
          <button type="button" onClick={() => void fetchPage(found?.cursor ?? null)}>
            Retry
          </button>
        </ErrorNote>
      )}
      {found && (
        <section className="log-disk__results" aria-labelledby={headingId}>
          <h3 id={headingId} className="log-disk__divider">
            Older results (from log files)
          </h3>
          <p ref={summaryRef} className="log-disk__summary muted" tabIndex={-1}>
            {summary(found)}
          </p>
          {found.matches.length > 0 && (
            <ol className="log-disk__list" aria-labelledby={headingId} tabIndex={0}>
              {found.matches.map((m, i) => (
                <DiskMatch key={i} match={m} matcher={matcher} />
              ))}
            </ol>
          )}
          {found.cursor && (
            <button type="button" className="log-disk__more" disabled={busy} onClick={more}>
              More older results
            </button>
          )}
        </section>
      )}
      <span className="visually-hidden" role="status">
        {busy ? 'Searching the log files…' : found ? `Search of the log files done: ${summary(found)}` : ''}
      </span>
    </section>
  );
}
