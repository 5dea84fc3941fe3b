"""Uploaded images on S3-compatible object storage (django-storages), tested against a real local
S3 endpoint (moto's server): every app server then sees the same files."""

import socket
import subprocess
import sys
import time

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from missions.models import MissionImage
from tests.missions.test_admin import image_bytes, upload_image
from tests.servers import free_port

BUCKET = "lunarportal-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


@pytest.fixture
def s3(settings):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        client = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "endpoint_url": endpoint,
                    "access_key": CREDENTIALS["aws_access_key_id"],
                    "secret_key": CREDENTIALS["aws_secret_access_key"],
                    "region_name": CREDENTIALS["region_name"],
                    "querystring_auth": False,
                    "file_overwrite": False,
                    "default_acl": None,
                },
            },
        }
        yield client, endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def stored_keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_an_uploaded_image_and_its_renditions_live_in_the_bucket(s3, publisher_client, chang_e_6, client):
    bucket, endpoint = s3
    response = upload_image(publisher_client, chang_e_6, SimpleUploadedFile("lander.png", image_bytes("PNG")))
    assert response.status_code == 302
    image = MissionImage.objects.get(mission=chang_e_6)
    keys = stored_keys(bucket)
    assert image.image.name in keys and image.thumbnail.name in keys
    assert {rendition["name"] for rendition in image.renditions} <= keys
    html = client.get("/en/missions/chang-e-6/").content.decode()
    assert f"{endpoint}/{BUCKET}/{image.thumbnail.name}" in html or f"{endpoint}/{BUCKET}/" in html


def test_deleting_an_image_removes_its_files_from_the_bucket(
    s3, publisher_client, chang_e_6, django_capture_on_commit_callbacks
):
    bucket, _ = s3
    upload_image(publisher_client, chang_e_6, SimpleUploadedFile("lander.png", image_bytes("PNG")))
    assert stored_keys(bucket)
    with django_capture_on_commit_callbacks(execute=True):
        MissionImage.objects.get(mission=chang_e_6).delete()
    assert stored_keys(bucket) == set()
