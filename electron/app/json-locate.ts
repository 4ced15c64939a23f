// Where a JSON text goes wrong, and where a value sits in it: shared with the window's editor, so
// it lives in shared/json-locate.ts.
export { findJsonSyntaxError, JsonLocator, lineColumn, type JsonSyntaxProblem } from '../../shared/json-locate.js';
