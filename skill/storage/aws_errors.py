"""AWS SDK error types for the DynamoDB and IoT-backed domain stores, which are handed a
client and must tell "AWS refused" from "AWS unreachable" without importing botocore."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
    PartialCredentialsError,
)

#: Every failure a boto3 call can raise: a refusal (ClientError) or no answer (BotoCoreError).
AWS_ERRORS = (BotoCoreError, ClientError)
CREDENTIAL_ERRORS = (NoCredentialsError, PartialCredentialsError)

__all__ = ["AWS_ERRORS", "CREDENTIAL_ERRORS", "BotoCoreError", "ClientError"]
