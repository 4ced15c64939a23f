// One line of an agent's output: its time, then its text with ANSI colours as spans and the
// search's matches marked. Agent output is text, never markup: React escapes every piece.
import { memo, useMemo, type CSSProperties } from 'react';
import { formatClock } from '../../store/format.js';
import type { LogEntry } from '../../store/types.js';
import { ansiSegments, markRanges } from './ansi.js';
import type { LogMatcher } from './search.js';

export interface LogRowProps {
  line: LogEntry;
  matcher: LogMatcher | null;
  /** Where the virtual list puts the row (px from the top). */
  top: number;
}

/** The pieces of a line with their classes and colours, the matcher's matches marked. */
export function LineText({ text, matcher }: { text: string; matcher: LogMatcher | null }) {
  const parts = useMemo(() => {
    const segments = ansiSegments(text);
    const ranges = matcher ? matcher.ranges(segments.map((s) => s.text).join('')) : [];
    return markRanges(segments, ranges);
  }, [text, matcher]);
  return (
    <>
      {parts.map((p, i) => {
        const style: CSSProperties | undefined = p.color || p.background ? { color: p.color ?? undefined, backgroundColor: p.background ?? undefined } : undefined;
        const content = p.match ? <mark className="log-match">{p.text}</mark> : p.text;
        if (!p.className && !style) return <span key={i}>{content}</span>;
        return (
          <span key={i} className={p.className || undefined} style={style}>
            {content}
          </span>
        );
      })}
    </>
  );
}

/** A row of the log (absolutely placed by the virtual list). */
export const LogRow = memo(function LogRow({ line, matcher, top }: LogRowProps) {
  return (
    <div className={`log-row log-row--${line.stream}`} data-stream={line.stream} style={{ transform: `translateY(${top}px)` }}>
      <span className="log-ts" aria-hidden="true">
        {formatClock(line.ts)}
      </span>
      {line.stream === 'stderr' && <span className="visually-hidden">stderr: </span>}
      <span className="log-text">
        <LineText text={line.text} matcher={matcher} />
      </span>
    </div>
  );
});
