"""moto's server, closer to AWS in two ways: atomic DynamoDB writes, and (with --aws-condition-rule, for
`npm run local:up` and the tiers that deploy the stacks) bucket-policy conditions evaluated as AWS does.

DynamoDB applies a conditional write atomically: of concurrent claims on one item, exactly one succeeds.
moto 5.2.1's threaded server checks the condition and writes without a lock, so two concurrent
`attribute_not_exists` claims could both succeed (seen: two invocations each claimed one upload). Every
write of the DynamoDB backend is serialized here.

With --aws-condition-rule:

moto 5.2.1 evaluates a bucket policy's conditions with no request context and answers DENIED for
any matching statement whose condition does not hold, Allow statements included
(moto/iam/access_control.py, IAMPolicyStatement.is_action_permitted). So the stacks' TLS-only Deny
(Bool aws:SecureTransport = false) blocks every object request, and CloudFront's Allow
(StringEquals AWS:SourceArn) denies too. This launcher:
- gives object requests the one context key the stacks' policies test that the emulator can know:
  aws:SecureTransport = "true". The emulator listens on loopback only, so requests never leave the
  machine; this is the one liberty taken, and it is listed in the emulator gaps;
- applies AWS's rule that a statement whose condition does not hold does not apply (NEUTRAL), so an
  absent key (AWS:SourceArn: no CloudFront here) makes its statement not apply, instead of denying.
The bucket policies stay exactly as the real stacks deploy them; a Deny whose condition holds still denies.
"""
import fnmatch
import sys
import threading

from moto.dynamodb import models as dynamodb_models
from moto.iam import access_control
from moto.s3 import models as s3_models
from moto.server import main

_DYNAMODB_WRITES = threading.RLock()
DYNAMODB_WRITE_METHODS = (
    "put_item",
    "update_item",
    "delete_item",
    "batch_write_item",
    "transact_write_items",
    "execute_statement",
    "batch_execute_statement",
    "execute_transaction",
)


def _one_at_a_time(method):
    def serialized(*args, **kwargs):
        with _DYNAMODB_WRITES:
            return method(*args, **kwargs)

    return serialized


def serialize_dynamodb_writes():
    for name in DYNAMODB_WRITE_METHODS:
        setattr(dynamodb_models.DynamoDBBackend, name, _one_at_a_time(getattr(dynamodb_models.DynamoDBBackend, name)))

_original = access_control.IAMPolicyStatement.is_action_permitted


def _condition_holds(operator, expected, actual):
    """One condition operator of IAM's condition language against one context value (None when absent)."""
    base = operator[: -len("IfExists")] if operator.endswith("IfExists") else operator
    expected = [str(e) for e in (expected if isinstance(expected, list) else [expected])]
    if base == "Null":
        return (actual is None) == (expected[0].lower() == "true")
    if actual is None:
        return operator.endswith("IfExists")
    if base == "Bool":
        return actual.lower() in [e.lower() for e in expected]
    if base in ("StringEquals", "ArnEquals"):
        return actual in expected
    if base in ("StringNotEquals", "ArnNotEquals"):
        return actual not in expected
    if base in ("StringLike", "ArnLike"):
        return any(fnmatch.fnmatchcase(actual, e) for e in expected)
    if base in ("StringNotLike", "ArnNotLike"):
        return not any(fnmatch.fnmatchcase(actual, e) for e in expected)
    sys.stderr.write(f"moto_server.py: condition operator {operator} is not evaluated; its statement does not apply\n")
    return False


def _conditions_hold(conditions, context):
    lowered = {k.lower(): v for k, v in (context or {}).items()}
    return all(
        _condition_holds(operator, expected, lowered.get(key.lower()))
        for operator, block in conditions.items()
        for key, expected in block.items()
    )


def _is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    conditions = self._statement.get("Condition")
    if conditions and not _conditions_hold(conditions, incoming_condition_values):
        # AWS: a statement whose condition does not hold does not apply.
        return access_control.PermissionResult.NEUTRAL
    # The condition holds: evaluate the rest of the statement as moto does (its own check passes with no values).
    return _original(self, action, resource, principal, None)


# The request context moto does not pass (see the module docstring).
LOOPBACK_CONTEXT = {"aws:SecureTransport": "true"}


def _get_permission(self, action, resource):
    if self.policy is None:
        return access_control.PermissionResult.NEUTRAL
    return access_control.IAMPolicy(self.policy.decode()).is_action_permitted(action, resource, incoming_condition_values=LOOPBACK_CONTEXT)


def apply_aws_condition_rule():
    access_control.IAMPolicyStatement.is_action_permitted = _is_action_permitted
    s3_models.FakeBucket.get_permission = _get_permission


if __name__ == "__main__":
    arguments = sys.argv[1:]
    serialize_dynamodb_writes()
    if "--aws-condition-rule" in arguments:
        arguments.remove("--aws-condition-rule")
        apply_aws_condition_rule()
    main(arguments)
