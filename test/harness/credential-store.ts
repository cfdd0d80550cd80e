/** n8n's credentials table, with the `CredentialTypes` registry of the types it stores. */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialType,
	INodeCredentialsDetails,
} from 'n8n-workflow';
import { UnexpectedError, UserError, jsonParse } from 'n8n-workflow';

import { loadCredentialType } from './credential-types';
import { HarnessCredentialsHelper } from './credentials-helper';
import type { StoredCredential } from './stored-credentials';

/** The reference a node carries in `node.credentials[type]`. */
export interface CredentialReference {
	id: string;
	name: string;
}

/** Plays n8n's credentials table plus its `CredentialsHelper`. */
export class CredentialStore {
	/** How many times a credential type's `preAuthentication` ran. */
	preAuthenticationCalls = 0;

	/** How many times `updateCredentials` stored new data. */
	updates = 0;

	/** The object n8n-core receives as `additionalData.credentialsHelper`. */
	readonly helper: HarnessCredentialsHelper;

	private readonly types = new Map<string, ICredentialType>();

	private readonly rows = new Map<string, StoredCredential>();

	private nextId = 1;

	constructor(types: ICredentialType[]) {
		for (const type of types) this.types.set(type.name, loadCredentialType(type));
		this.helper = new HarnessCredentialsHelper(this);
	}

	/** Stores a credential; returns the reference to put in `node.credentials[type]`. */
	add(type: string, data: ICredentialDataDecryptedObject, id?: string): CredentialReference {
		const credentialType = this.getCredentialType(type);
		const credentialId = id ?? String(this.nextId++);
		if (this.rows.has(credentialId)) {
			throw new UserError(`A credential with ID "${credentialId}" is already stored`);
		}
		const name = `${credentialType.displayName} account ${credentialId}`;
		this.rows.set(credentialId, { id: credentialId, name, type, data: JSON.stringify(data) });
		return { id: credentialId, name };
	}

	/** The stored data (a copy), including what preAuthentication stored. */
	get(id: string): ICredentialDataDecryptedObject {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`No credential with ID "${id}" is stored`);
		return jsonParse<ICredentialDataDecryptedObject>(row.data);
	}

	/** Overwrites the stored data, as a user editing the credential would. */
	set(id: string, data: ICredentialDataDecryptedObject): void {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`No credential with ID "${id}" is stored`);
		row.data = JSON.stringify(data);
	}

	/** The reference of a stored credential. */
	reference(id: string): CredentialReference {
		const row = this.rows.get(id);
		if (!row) throw new UserError(`No credential with ID "${id}" is stored`);
		return { id: row.id, name: row.name };
	}

	/** `CredentialTypes.getByName`, with n8n's loader additions. */
	getCredentialType(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new UnexpectedError(`Unrecognized credential type: ${name}`);
		return type;
	}

	/** `CredentialTypes.getParentTypes`. */
	getParentTypes(typeName: string): string[] {
		const extendsArr = this.types.get(typeName)?.extends ?? [];
		const parents = [...extendsArr];
		for (const type of extendsArr) parents.push(...this.getParentTypes(type));
		return parents;
	}

	/** `CredentialsHelper.getCredentialsEntity`: the row for that id and type. */
	getEntity(nodeCredential: INodeCredentialsDetails, type: string): StoredCredential {
		if (!nodeCredential.id) {
			throw new UserError(`Credential "${nodeCredential.name}" of type "${type}" has no ID`);
		}
		const row = this.rows.get(nodeCredential.id);
		if (!row || row.type !== type) {
			throw new UserError(
				`Credential with ID "${nodeCredential.id}" does not exist for type "${type}".`,
			);
		}
		return { ...row };
	}

	/** The repository's `update`. */
	save(data: ICredentialsEncrypted): void {
		const row = data.id === undefined ? undefined : this.rows.get(data.id);
		if (!row || data.data === undefined) {
			throw new UnexpectedError('Cannot update a credential that is not stored');
		}
		row.data = data.data;
		this.updates++;
	}
}
