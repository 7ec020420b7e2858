export { assertNever } from './assert-never.js';
export {
  type Diagnostic,
  type Severity,
  type SourceSpan,
  compareDiagnostics,
  formatDiagnostic,
  hasErrors,
} from './diagnostic.js';
export { FlowlineError, TemplateRenderError, ValidationError, errorMessage } from './errors.js';
export {
  INPUT_TYPES,
  type InputType,
  STEP_TYPES,
  type StepType,
  TRIGGER_RULES,
  type TriggerRule,
  isStepType,
} from './step-types.js';
export { DURATION_PATTERN, SIZE_PATTERN, formatBytes, formatDuration, parseDuration, parseSize } from './units.js';
export { sha256Hex } from './hash.js';
export { MASK, SecretMasker } from './secret-masker.js';
export { canonicalJson } from './canonical-json.js';
