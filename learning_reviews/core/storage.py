"""Files on S3-compatible object storage (docs/decisions/0033-object-storage.md).

django-storages' S3 backend, held to this service's rules whatever the settings say: every
object private (the canned ACL S3 gives an object written without one), encrypted at rest where
the server supports it, never overwritten, and never a URL, public or presigned: a file reaches
a browser only through a permission-checked view that streams it (`core.http.private_download`).
Requests time out and are retried a bounded number of times, so an outage fails an upload in
seconds with a clear message, never a hung page.
"""

from typing import Any, NoReturn

from botocore.config import Config
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """The default storage when LR_S3_BUCKET is set."""

    def get_default_settings(self) -> dict[str, Any]:
        return {
            **super().get_default_settings(),
            "encryption": "AES256",  # or "aws:kms", or "none" for a server that refuses it
            "timeout": 10,  # seconds, to connect and for each read
            "attempts": 3,  # the first try and the retries together
        }

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # No ACL header: S3 makes every new object private (its owner alone may read it), and a
        # bucket with ACLs turned off (Amazon's default since 2023) refuses requests that set
        # one other than the owner's.
        self.default_acl = None
        self.file_overwrite = False
        self.custom_domain = None
        self.querystring_auth = True
        parameters: dict[str, str] = dict(getattr(self, "object_parameters", {}))
        if self.encryption != "none":
            parameters["ServerSideEncryption"] = self.encryption
        self.object_parameters = parameters
        self.client_config = Config(
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            retries={"total_max_attempts": self.attempts, "mode": "standard"},
            signature_version="s3v4",
        )

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> NoReturn:
        raise NotImplementedError(
            "Stored files have no URL: stream them through a permission-checked view."
        )
