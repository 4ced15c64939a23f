// A value that follows another once it has stopped changing for a moment (the JSON view checks
// the text 200 ms after the last key, not on every key).
import { useEffect, useState } from 'react';

/** `value`, `delayMs` after its last change; `now` hands over the current value at once. */
export function useDebounced<T>(value: T, delayMs: number): [T, (now: T) => void] {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(settled, value)) return;
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return [settled, setSettled];
}
