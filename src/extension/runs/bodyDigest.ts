// The digest lives in core (the CLI's run records use it too).
export { bodyDigest } from '../../core/history/body-digest';
