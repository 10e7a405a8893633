"""One end-to-end run per model of specs/, through its typed client, in both clients."""

from __future__ import annotations

from pathlib import Path

import pytest
from wiro_client.testing import FakeWiro, png

from tests.runtime.conftest import IMAGE, Api


def test_instant_id(fake: FakeWiro, api: Api, tmp_path: Path) -> None:
    from wiro_client.types.wiro.instant_id import SelectedModel

    model = api.client.models.wiro.instant_id
    task = api(
        model.run(
            input_image_url=IMAGE, selected_model=SelectedModel.LYKON_DREAM_SHAPER_XL, samples=2
        )
    )
    result = api(task.wait())
    assert result.succeeded and result.model == "wiro/instant-id"
    assert api(result.outputs[0].download(tmp_path)).read_bytes() == png(
        rgb=(0, int(task.id) % 256, 160)
    )
    sent = fake.requests_to("run")[0]
    assert sent.path == "/v1/Run/wiro/instant-id"
    assert (sent.fields["selectedModel"], sent.fields["samples"]) == ("850", "2")


def test_image_inpainting_sd_uploads_image_and_mask(
    fake: FakeWiro, api: Api, tmp_path: Path
) -> None:
    image = tmp_path / "room.png"
    image.write_bytes(png(16, 16))
    model = api.client.models.wiro.image_inpainting_sd
    task = api(
        model.run(
            input_image_url=image, input_image_mask_url=png(16, 16, (255, 255, 255)), steps=10
        )
    )
    result = api(task.wait())
    assert result.succeeded and result.outputs
    sent = fake.requests_to("run")[0]
    assert sent.path == "/v1/Run/wiro/image-inpainting-sd"
    assert [r.files[0][:2] for r in fake.requests_to("upload")] == [
        ("file", "room.png"),
        ("file", "inputImageMask"),
    ]
    assert sent.files == [] and sent.body["inputImageUrl"].endswith("/room.png")
    assert sent.body["inputImageMaskUrl"].endswith("/inputImageMask")


def test_flux_pro_1_1_on_its_endpoint_slug(fake: FakeWiro, api: Api) -> None:
    from wiro_client.types.black_forest_labs.flux_pro_1_1 import AspectRatio

    model = api.client.models.black_forest_labs.flux_pro_1_1
    task = api(
        model.run(
            prompt="a lighthouse at dawn",
            aspect_ratio=AspectRatio.VALUE_16_9,
            prompt_upsampling=True,
        )
    )
    assert api(task.wait()).succeeded
    sent = fake.requests_to("run")[0]
    assert sent.path == "/v1/Run/black-forest-labs/flux-pro-1-1"  # the name says flux-pro-1.1
    assert sent.content_type == "application/json"
    assert (sent.fields["aspectRatio"], sent.fields["promptUpsampling"]) == ("16:9", "true")
    assert task.model == "black-forest-labs/flux-pro-1-1"


@pytest.mark.parametrize(
    "name", ["black-forest-labs/flux-pro-1.1", "black-forest-labs/flux-pro-1-1"]
)
def test_escape_hatch_knows_models_by_page_name_and_endpoint(
    fake: FakeWiro, api: Api, name: str
) -> None:
    task = api.run(name, {"prompt": "x"})
    assert fake.task(task.id).model == "black-forest-labs/flux-pro-1-1"
