import assert from 'node:assert/strict';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { toCodedError } from '../../src/azure/arm-errors';
import { ErrorCode } from '../../src/errors';

const SUB = '1a1a1a1a-0000-4000-8000-00000000c001';

function restError(statusCode: number | undefined, code?: string, message = 'ARM said no') {
  const request = createPipelineRequest({ url: `https://arm.example/subscriptions/${SUB}` });
  request.headers.set('Authorization', 'Bearer secret-token-value');
  const response =
    statusCode === undefined
      ? undefined
      : { status: statusCode, request, headers: createHttpHeaders({ 'x-ms-correlation-request-id': 'corr-123' }) };
  return new RestError(message, { statusCode, code, request, ...(response ? { response } : {}) });
}

describe('arm-errors', () => {
  const cases: [string, ReturnType<typeof restError>, ErrorCode][] = [
    ['404', restError(404, 'ResourceNotFound'), ErrorCode.ArmNotFound],
    ['403 AuthorizationFailed', restError(403, 'AuthorizationFailed'), ErrorCode.ArmForbidden],
    ['401', restError(401, 'InvalidAuthenticationToken'), ErrorCode.ArmForbidden],
    ['429 after retries', restError(429, 'TooManyRequests'), ErrorCode.ArmThrottled],
    ['503', restError(503, 'ServiceUnavailable'), ErrorCode.ArmUnavailable],
    ['a reset connection', restError(undefined, 'ECONNRESET'), ErrorCode.ArmUnavailable],
    ['400 with an ARM code', restError(400, 'InvalidRequestFormat', 'The VLAN 5000 is out of range.'), ErrorCode.ArmRejected],
    [
      'a 200 that is not the documented JSON',
      restError(200, 'InvalidResponse', 'Resource Graph answered with something that is not JSON.'),
      ErrorCode.ArmUnavailable,
    ],
    [
      'an answer the transport refused (too large)',
      restError(undefined, 'EANSWERTOOLARGE', 'The answer is over 32 MB.'),
      ErrorCode.ArmUnavailable,
    ],
  ];
  for (const [name, error, code] of cases) {
    it(`should map ${name} to ${code}`, () => {
      const coded = toCodedError(error, { subscriptionId: SUB, resource: 'circuit er1' });
      assert.equal(coded.code, code);
      assert.ok(coded.hint, 'every ARM error says what to do');
    });
  }

  it("should name the subscription and the Reader role when the bot's identity has no access", () => {
    const coded = toCodedError(restError(403, 'AuthorizationFailed'), { subscriptionId: SUB });
    assert.match(coded.message, new RegExp(SUB));
    assert.match(coded.hint ?? '', /Reader/);
  });

  it("should repeat ARM's code and message in plain words when ARM rejects a request", () => {
    const coded = toCodedError(restError(400, 'InvalidRequestFormat', 'The VLAN 5000 is out of range.'));
    assert.match(coded.message, /InvalidRequestFormat/);
    assert.match(coded.message, /VLAN 5000 is out of range/);
  });

  it('should keep neither the request, the response nor the token', () => {
    const coded = toCodedError(restError(403, 'AuthorizationFailed'), { subscriptionId: SUB });
    assert.equal(coded.cause, undefined);
    assert.doesNotMatch(JSON.stringify({ ...coded, message: coded.message, hint: coded.hint }), /secret-token-value|Bearer/);
    assert.equal(coded.details?.correlationId, 'corr-123');
  });

  it("should say the bot could not sign in to the customer's tenant, with Entra's reason, when a token is refused", () => {
    const refused = new AuthenticationError(400, {
      error: 'invalid_client',
      error_description: 'AADSTS7000215: Invalid client secret provided. Trace ID: 1234',
    });
    const coded = toCodedError(refused, { resource: 'the Resource Graph inventory' });
    assert.equal(coded.code, ErrorCode.ArmForbidden);
    assert.match(coded.message, /could not sign in to the customer's tenant to read the Resource Graph inventory: .*AADSTS7000215/);
    assert.match(String(coded.hint), /admin consent/);
    const unavailable = toCodedError(new CredentialUnavailableError('No managed identity endpoint found.'));
    assert.equal(unavailable.code, ErrorCode.ArmForbidden);
  });

  it("should call an answer the bot cannot read unreadable, not Azure refusing the bot's request", () => {
    const coded = toCodedError(
      restError(
        200,
        'InvalidResponse',
        'metrics:getBatch answered with an answer that is not the documented shape (values.0.value.1.name.value: expected a string).',
      ),
      {
        resource: 'Azure Monitor metrics',
      },
    );
    assert.match(coded.message, /something the bot cannot read: .*values\.0\.value\.1\.name\.value/);
    assert.doesNotMatch(String(coded.hint), /correct the request/);
  });

  it('should turn a non-SDK failure into Internal without its text', () => {
    const coded = toCodedError(new Error('password=hunter2'));
    assert.equal(coded.code, ErrorCode.Internal);
    assert.doesNotMatch(coded.message, /hunter2/);
  });
});
