// Moved to ../../shared/nqlFields.ts (the NQL operations and the trigger share them); kept for
// execute.operation.ts until it imports from there.
export {
	binaryPropertyField,
	compressionField,
	queryIdField,
	queryNotFoundHint,
	queryParametersField,
	readQuery,
} from '../../shared/nqlFields';
