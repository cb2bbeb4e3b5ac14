"""A devices' CA, a server certificate for 127.0.0.1 and device certificates, made for the test (ECDSA P-256)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from adapters.ingest.server import Tls

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass(frozen=True, slots=True)
class Identity:
    key: bytes
    certificate: bytes


class Pki:
    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "zhijian devices CA (test)")])
        self._name = name
        self.ca = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self._key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(START)
            .not_valid_after(START + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self._key, hashes.SHA256())
        )  # fmt: skip
        self.ca_pem = self.ca.public_bytes(serialization.Encoding.PEM)
        server = self.issue("127.0.0.1", server=True)
        self.tls = Tls(server.key, server.certificate, self.ca_pem)

    def issue(self, common_name: str, *, server: bool = False) -> Identity:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(self._name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(START).not_valid_after(START + dt.timedelta(days=3650))
        )  # fmt: skip
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
            )
        certificate = builder.sign(self._key, hashes.SHA256())
        return Identity(_pem(key), certificate.public_bytes(serialization.Encoding.PEM))

    def write(self, folder: Path) -> Path:
        """The server's files as ``python -m adapters.ingest.server --tls-dir`` reads them."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "server.key").write_bytes(self.tls.key)
        (folder / "server.crt").write_bytes(self.tls.certificate)
        (folder / "devices-ca.crt").write_bytes(self.ca_pem)
        return folder
