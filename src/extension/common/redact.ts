// The redactor lives in core (the CLI uses it too); the extension's modules import it from here.
export { Redactor } from '../../core/redact';
