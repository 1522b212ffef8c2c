"""Site visits logged offline: one conversation per device id however often it is sent,
photos kept once and without their GPS position unless asked, the service worker and the
manifest served by the app at paths whose scope covers every page."""

import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from research.models import Conversation, Photo
from research.services.photos import GPS_IFD, photo_path
from tests.builders import client_for

pytestmark = pytest.mark.django_db

CLIENT_ID = "3f6c2a9e-0d1b-4c1e-9a57-2b8f7f1d5e10"


def visit_post(client, conversation, **extra):
    data = {
        "title": "Visit at the mill",
        "project": str(conversation.project.uid),
        "location": "Leeds",
        "notes": "",
        "tags": "site",
        "client_id": CLIENT_ID,
        **extra,
    }
    return client.post(reverse("research:site_visit"), data, HTTP_ACCEPT="application/json")


def photo_with_location(kind="JPEG") -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make: kept
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (53.0, 48.0, 0.0)
    gps[3], gps[4] = "W", (1.0, 32.0, 0.0)
    out = io.BytesIO()
    image.save(out, kind, exif=exif)
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD))


def add_photo(client, conversation, data, **extra):
    upload = io.BytesIO(data)
    upload.name = "mill.jpg"
    url = reverse("research:photo_add", args=[conversation.uid])
    return client.post(url, {"photo": upload, **extra}, HTTP_ACCEPT="application/json")


def test_a_visit_sent_twice_is_one_conversation(owner_client, conversation, audio_root):
    first = visit_post(owner_client, conversation).json()
    again = visit_post(owner_client, conversation, notes="Loud machines.").json()
    assert first["conversation"] == again["conversation"]
    visit = Conversation.objects.get(client_id=CLIENT_ID)
    assert (visit.kind, visit.notes, visit.title) == (
        "site_visit",
        "Loud machines.",
        "Visit at the mill",
    )
    assert first["photos_url"] == reverse("research:photo_add", args=[visit.uid])


def test_a_bad_device_id_is_refused(owner_client, conversation, audio_root):
    response = visit_post(owner_client, conversation, client_id="../../x")
    assert response.status_code == 400 and "client_id" in response.json()["fields"]
    assert not Conversation.objects.filter(title="Visit at the mill").exists()


def test_another_teams_device_id_makes_its_own_visit(
    owner_client, outsider, conversation, audio_root
):
    visit_post(owner_client, conversation)
    from research.models import Project

    other = Project.objects.create(team=outsider.team, name="Theirs", slug="theirs")
    data = {"title": "Their visit", "project": str(other.uid), "client_id": CLIENT_ID}
    response = client_for(outsider).post(
        reverse("research:site_visit"), data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert Conversation.objects.filter(client_id=CLIENT_ID).count() == 2
    assert Conversation.objects.get(team=outsider.team).title == "Their visit"


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_a_photo_loses_its_location_and_is_kept_once(owner_client, conversation, audio_root, kind):
    data = photo_with_location(kind)
    assert gps_of(data)
    response = add_photo(owner_client, conversation, data, client_id="photo-0001")
    assert response.status_code == 201
    again = add_photo(owner_client, conversation, data, client_id="photo-0001")
    assert again.status_code == 200 and again.json()["uid"] == response.json()["uid"]
    photo = Photo.objects.get()
    stored = photo_path(photo).read_bytes()
    assert gps_of(stored) == {}
    assert Image.open(io.BytesIO(stored)).getexif()[0x010F] == "Phone maker"
    assert (photo.width, photo.height, photo.kept_location) == (64, 48, False)
    served = owner_client.get(response.json()["url"])
    assert served["Content-Type"] == f"image/{kind.lower()}"
    assert b"".join(served.streaming_content) == stored
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert f'<img src="{response.json()["url"]}"' in page


def test_the_location_is_kept_when_asked(owner_client, conversation, audio_root):
    data = photo_with_location()
    add_photo(owner_client, conversation, data, keep_location="on")
    photo = Photo.objects.get()
    assert photo.kept_location and photo_path(photo).read_bytes() == data


def test_what_is_not_a_photo_is_refused(owner_client, conversation, audio_root, tmp_path):
    refused = add_photo(owner_client, conversation, b"GIF89a not really" * 10)
    assert refused.status_code == 400 and "not a photo" in refused.json()["error"]
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    assert add_photo(owner_client, conversation, gif.getvalue()).status_code == 415
    assert add_photo(owner_client, conversation, b"").status_code == 400
    assert not Photo.objects.exists()
    assert not list(audio_root.rglob("*.*"))


def test_photos_are_for_the_team_only(owner_client, outsider, viewer, conversation, audio_root):
    url = add_photo(owner_client, conversation, photo_with_location()).json()["url"]
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 200
    assert add_photo(client_for(viewer), conversation, photo_with_location()).status_code == 403
    assert add_photo(client_for(outsider), conversation, photo_with_location()).status_code == 404


def test_service_worker_and_manifest_are_served_from_the_root(client, owner, db):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    body = worker.content.decode()
    shell = json.loads(body.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert "/visits/new/" in shell and "/static/fieldnotes/visits.js" in shell
    for url in shell[1:]:  # every file of the offline shell exists
        assert client.get(url).status_code == 200, url
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == "/visits/new/"


def test_deleting_the_conversation_removes_its_photos(
    owner_client, conversation, audio_root, django_capture_on_commit_callbacks
):
    from research.services.conversations import conversation_delete

    add_photo(owner_client, conversation, photo_with_location())
    path = photo_path(Photo.objects.get())
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        conversation_delete(conversation=conversation)
    assert not path.exists()
