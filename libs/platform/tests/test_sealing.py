"""Envelope encryption with the tenants' keys in a local directory (ADR 0082): what issue 15
reuses for free-text and special-category fields, and what signed copies are stored with."""

from __future__ import annotations

import io
import stat
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from lotse_platform.sealing import (
    Binding,
    Envelopes,
    LocalKeyDirectory,
    Sealed,
    SealBroken,
    UnknownKey,
)
from lotse_platform.errors import ContentTooLarge, Unprocessable, UnsupportedMediaType
from lotse_platform.signed_copies import check_file, sniff

SIGNED = b"%PDF-1.7 Einwilligungserklaerung, unterschrieben"


def envelopes(tmp_path) -> tuple[Envelopes, LocalKeyDirectory]:
    keys = LocalKeyDirectory(tmp_path / "keys")
    return Envelopes(keys), keys


def test_a_sealed_object_opens_for_its_binding_and_holds_no_plaintext(tmp_path):
    # issue 15, 4: "encrypted in the database with a per-tenant key (envelope encryption)"
    sealing, keys = envelopes(tmp_path)
    binding = Binding(uuid.uuid4(), "signed_copy:intake:consent", "intake-1/copy-1")

    sealed = sealing.seal(SIGNED, binding)
    stored = sealed.to_bytes()

    assert SIGNED not in stored and b"Einwilligung" not in stored
    assert sealing.open(Sealed.from_bytes(sealed.key_id, stored), binding) == SIGNED
    assert keys.key_ids(binding.tenant_id) == [sealed.key_id]


def test_a_blob_moved_to_another_record_kind_or_tenant_does_not_open(tmp_path):
    # issue 15, 4: the key is the tenant's; the blob is bound to where it was written
    sealing, _ = envelopes(tmp_path)
    tenant = uuid.uuid4()
    sealed = sealing.seal(SIGNED, Binding(tenant, "consent", "intake-1"))
    sealing.seal(b"%PDF other", Binding(other := uuid.uuid4(), "consent", "intake-1"))

    for elsewhere in (Binding(tenant, "consent", "intake-2"),
                      Binding(tenant, "help_plan", "intake-1")):
        with pytest.raises(SealBroken):
            sealing.open(sealed, elsewhere)
    with pytest.raises(UnknownKey):  # the other tenant has no key of this id
        sealing.open(sealed, Binding(other, "consent", "intake-1"))


def test_an_altered_blob_does_not_open(tmp_path):
    sealing, _ = envelopes(tmp_path)
    binding = Binding(uuid.uuid4(), "consent", "intake-1")
    sealed = sealing.seal(SIGNED, binding)
    stored = bytearray(sealed.to_bytes())
    stored[-1] ^= 1

    with pytest.raises(SealBroken):
        sealing.open(Sealed.from_bytes(sealed.key_id, bytes(stored)), binding)


def test_rotation_seals_new_objects_with_the_new_key_and_old_ones_still_open(tmp_path):
    # issue 15, 4: "Key rotation without downtime"
    sealing, keys = envelopes(tmp_path)
    binding = Binding(uuid.uuid4(), "consent", "intake-1")
    old = sealing.seal(SIGNED, binding)

    new_key = keys.rotate(binding.tenant_id)
    new = sealing.seal(b"%PDF new", binding)

    assert new.key_id == new_key != old.key_id
    assert keys.key_ids(binding.tenant_id) == [old.key_id, new_key]
    assert sealing.open(old, binding) == SIGNED
    assert sealing.open(new, binding) == b"%PDF new"


def test_key_files_are_the_owners_alone_and_shredding_makes_the_tenants_objects_unreadable(
        tmp_path):
    # issue 15, 4: "crypto-shredding" — the tenant's keys gone, nothing sealed for it opens
    sealing, keys = envelopes(tmp_path)
    binding = Binding(uuid.uuid4(), "consent", "intake-1")
    sealed = sealing.seal(SIGNED, binding)
    (key_file,) = keys.directory.iterdir()

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.directory.stat().st_mode) == 0o700
    keys.shred(binding.tenant_id)
    with pytest.raises(UnknownKey):
        sealing.open(sealed, binding)


def test_rotations_at_the_same_time_keep_every_key(tmp_path):
    # a key lost to a race would leave what it sealed unreadable
    tenant = uuid.uuid4()
    keys = LocalKeyDirectory(tmp_path / "keys")

    with ThreadPoolExecutor(max_workers=8) as pool:
        made = list(pool.map(lambda _: keys.rotate(tenant), range(16)))

    assert sorted(keys.key_ids(tenant)) == sorted(made)


def test_two_processes_making_a_tenants_first_key_at_once_agree_on_one(tmp_path):
    tenant = uuid.uuid4()
    first, second = LocalKeyDirectory(tmp_path / "keys"), LocalKeyDirectory(tmp_path / "keys")

    made = first._create(tenant)  # noqa: SLF001 - the race, played in order
    raced = second._create(tenant)  # noqa: SLF001

    assert made == raced and len(made) == 1


@pytest.mark.parametrize("content, declared, refused", [
    (SIGNED, "application/pdf", None),
    (b"\xff\xd8\xff\xe0 jpeg", "image/jpeg", None),
    (b"\x89PNG\r\n\x1a\n png", "image/png; charset=binary", None),
    (SIGNED, "text/plain", UnsupportedMediaType),
    (SIGNED, None, UnsupportedMediaType),
    (b"\x89PNG\r\n\x1a\n png", "application/pdf", Unprocessable),
    (b"", "application/pdf", Unprocessable),
    (SIGNED + b"x" * 2000, "application/pdf", ContentTooLarge),
])
def test_a_file_is_told_by_its_first_bytes_not_only_by_its_declared_type(
        content, declared, refused):
    if refused is None:
        assert check_file(content, declared, 1024) == sniff(content)
        return
    with pytest.raises(refused) as error:
        check_file(content, declared, 1024)
    assert [e["field"] for e in error.value.errors] == ["file"]


def test_the_file_of_an_upload_is_kept_in_memory_never_spooled_to_disk():
    # a scan of a signed consent must not lie unencrypted in a temporary file (ADR 0082)
    from lotse_platform.http.app import LotseRequest

    request = LotseRequest.from_values(
        method="POST", content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"%PDF-" + b"\x00" * 2_000_000), "scan.pdf", "application/pdf")})

    stream = request.files["file"].stream

    assert isinstance(stream, io.BytesIO)
