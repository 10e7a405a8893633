"""Inputs: validated before sending, laid out on the wire as Wiro expects (JSON or multipart,
URL fields, uploads), in sync and async form."""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field
from wiro_client import errors
from wiro_client._inputs import encode_run
from wiro_client._providers import PROVIDERS
from wiro_client._spec import InputSpec, ModelSpec
from wiro_client.testing import FakeWiro, png

from tests.runtime.conftest import IMAGE, Api


@pytest.fixture
def multipart(fake: FakeWiro, connect: Callable[..., Api]) -> Api:
    """A client that sends local files inside a multipart Run (files="multipart")."""
    return connect(fake, files="multipart")


@pytest.fixture
def face(tmp_path: Path) -> Path:
    path = tmp_path / "face.png"
    path.write_bytes(png())
    return path


def run_instant_id(api: Api, **inputs: object) -> object:
    return api(api.client.models.wiro.instant_id.run(**inputs))


def test_url_goes_in_the_url_field_as_json(fake: FakeWiro, api: Api) -> None:
    run_instant_id(api, input_image_url=IMAGE, steps=12)
    (request,) = fake.requests_to("run")
    assert request.content_type == "application/json" and request.files == []
    assert request.fields["inputImageUrl"] == IMAGE and request.fields["steps"] == "12"
    assert request.fields["scheduler"] == "EulerAncestralDiscreteScheduler"
    assert request.fields["selectedModelPrivate"] == ""  # its default is empty text: sent


def test_local_file_is_uploaded_first_and_its_url_sent_in_json(
    fake: FakeWiro, api: Api, face: Path
) -> None:
    """files.md and the SDKs' uploadFile (WiroClient+Upload.swift resolveFileInputs): the file
    goes to File/Upload as the part "file"; the Run carries list[0].url in JSON."""
    task = run_instant_id(api, input_image_url=face)
    (upload,) = fake.requests_to("upload")
    assert upload.path == "/v1/File/Upload" and upload.files == [
        ("file", "face.png", face.stat().st_size)
    ]
    (run,) = fake.requests_to("run")
    assert run.content_type == "application/json" and run.files == []
    url = run.body["inputImageUrl"]
    assert url.startswith(fake.root) and url.endswith("/face.png")
    assert httpx.get(url).content == face.read_bytes()
    assert fake.task(task.id).parameters["inputImageUrl"] == url  # type: ignore[attr-defined]


def test_a_file_over_the_upload_limit_is_refused_before_sending(
    fake: FakeWiro, api: Api, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as out:  # sparse: 100 MB + 1 byte without writing them
        out.truncate(100 * 1024 * 1024 + 1)
    with pytest.raises(errors.InvalidInputError) as caught:
        run_instant_id(api, input_image_url=big)
    assert caught.value.input_name == "inputImageUrl" and "104857600" in caught.value.message
    assert fake.requests == []


def test_an_upload_is_never_sent_twice(fake: FakeWiro, api: Api, face: Path) -> None:
    """Kotlin WiroClient.kt: "Paths under /Run/ and /File/Upload are never retried"."""
    from wiro_client.testing import Fault

    fake.fail("upload", Fault.http(503))
    with pytest.raises(errors.ServerError):
        run_instant_id(api, input_image_url=face)
    assert fake.calls("upload") == 1 and fake.calls("run") == 0


def test_local_path_goes_in_a_multipart_run_with_the_url_field_empty(
    fake: FakeWiro, multipart: Api, face: Path
) -> None:
    """model-parameters.md: "include both the {id} and {id}Url fields - leave one empty"."""
    api = multipart
    task = run_instant_id(api, input_image_url=face)
    (request,) = fake.requests_to("run")
    assert request.content_type.startswith("multipart/form-data")
    assert request.files == [("inputImage", "face.png", face.stat().st_size)]
    assert request.fields["inputImageUrl"] == "" and request.fields["steps"] == "20"
    stored = fake.task(task.id).parameters["inputImage"]  # type: ignore[attr-defined]
    assert stored.startswith(fake.root) and stored.endswith("face.png")


def test_str_path_bytes_and_file_objects_are_uploaded(
    fake: FakeWiro, multipart: Api, face: Path
) -> None:
    api = multipart
    run_instant_id(api, input_image_url=str(face))
    run_instant_id(api, input_image_url=face.read_bytes())
    with face.open("rb") as handle:
        run_instant_id(api, input_image_url=handle)
    run_instant_id(api, input_image_url=io.BytesIO(b"raw"))
    names = [r.files[0][1] for r in fake.requests_to("run")]
    assert names == ["face.png", "inputImage", "face.png", "inputImage"]
    assert len(fake.tasks) == 4


def test_missing_local_file_fails_before_any_request(
    fake: FakeWiro, api: Api, tmp_path: Path
) -> None:
    with pytest.raises(errors.InvalidInputError) as caught:
        run_instant_id(api, input_image_url=tmp_path / "nope.png")
    assert caught.value.input_name == "inputImageUrl" and "nope.png" in caught.value.message
    assert fake.requests == []


def test_enum_members_and_raw_values_are_accepted(fake: FakeWiro, api: Api) -> None:
    from wiro_client.types.wiro.instant_id import Scheduler

    run_instant_id(api, input_image_url=IMAGE, scheduler=Scheduler.DDIM_SCHEDULER)
    run_instant_id(api, input_image_url=IMAGE, scheduler="PNDMScheduler")
    assert [r.fields["scheduler"] for r in fake.requests_to("run")] == [
        "DDIMScheduler",
        "PNDMScheduler",
    ]


@pytest.mark.parametrize(
    ("inputs", "name", "rule"),
    [
        ({"scheduler": "Nonsense"}, "scheduler", "Input should be"),
        ({"steps": "many"}, "steps", "valid integer"),
        ({"inputImageUrl": None}, "inputImageUrl", "required"),
        ({"colour": "blue"}, "colour", "unknown input"),
    ],
)
def test_invalid_inputs_are_refused_before_sending(
    fake: FakeWiro, api: Api, inputs: dict[str, object], name: str, rule: str
) -> None:
    values = {"inputImageUrl": IMAGE, **inputs}
    with pytest.raises(errors.InvalidInputError) as caught:
        api.run(inputs=values)
    assert caught.value.input_name == name and rule in (caught.value.rule or "")
    (problem,) = caught.value.problems
    assert problem.wire_name == name and f"{problem.names}: " in str(caught.value)
    assert fake.requests == []


def test_every_problem_is_listed_with_both_names(fake: FakeWiro, api: Api) -> None:
    instant_id = api.client.models.wiro.instant_id
    with pytest.raises(errors.InvalidInputError) as caught:
        api(instant_id.run(input_image_url=None, scheduler="Nonsense", steps="many"))
    problems = caught.value.problems
    assert [(p.argument, p.wire_name, p.rule) for p in problems] == [
        ("input_image_url", "inputImageUrl", "required"),
        ("steps", "steps", problems[1].message),
        ("scheduler", "scheduler", problems[2].message),
    ]
    assert "valid integer" in problems[1].message and "'DDIMScheduler'" in problems[2].message
    assert str(caught.value).splitlines() == [
        "Invalid inputs of wiro/instant-id (3 problems):",
        "  - input_image_url (inputImageUrl): required",
        f"  - steps: {problems[1].message}",
        f"  - scheduler: {problems[2].message}",
    ]
    assert fake.requests == []


def test_a_wrong_key_says_what_it_may_mean_and_which_names_the_model_takes(
    fake: FakeWiro, api: Api
) -> None:
    values = {"inputImageURL": IMAGE, "promt": "x", "negative_prompt": "y", "steps": 0.5}
    with pytest.raises(errors.InvalidInputError) as caught:
        api.run(inputs=values)
    unknown = [p for p in caught.value.problems if p.rule == "unknown input"]
    assert [(p.argument, p.wire_name) for p in unknown] == [
        ("inputImageURL", "inputImageURL"),
        ("promt", "promt"),
    ]
    assert unknown[0].message.startswith("no such input (did you mean 'input_image_url'? ")
    assert unknown[1].message.startswith("no such input (did you mean 'prompt'? ")
    assert "wiro/instant-id takes: selected_model (selectedModel), " in unknown[1].message
    assert ", prompt, negative_prompt (negativePrompt), steps, " in unknown[1].message
    # Unknown keys first, then the model's inputs in their order.
    assert [p.wire_name for p in caught.value.problems] == [
        "inputImageURL",
        "promt",
        "inputImageUrl",
        "steps",
    ]
    assert fake.requests == []


def test_an_input_given_by_both_its_names_is_a_problem(fake: FakeWiro, api: Api) -> None:
    with pytest.raises(errors.InvalidInputError) as caught:
        api.run(inputs={"inputImageUrl": IMAGE, "negativePrompt": "a", "negative_prompt": "b"})
    (problem,) = caught.value.problems
    assert (problem.argument, problem.rule) == ("negative_prompt", "given twice")
    assert problem.message == "given twice, as 'negativePrompt' and as 'negative_prompt'"


def test_yes_no_inputs_go_as_the_spec_says(fake: FakeWiro, api: Api) -> None:
    flux = api.client.models.black_forest_labs.flux_pro_1_1
    api(flux.run(prompt_upsampling=True))
    api(flux.run(prompt_upsampling=False))
    assert [r.fields["promptUpsampling"] for r in fake.requests_to("run")] == ["true", "false"]


def test_wiro_rejects_what_slips_through_in_its_own_words(fake: FakeWiro, api: Api) -> None:
    # A spec that validates nothing, on instant-id's endpoint: FakeWiro checks with the real
    # spec and answers as Wiro does; the answer becomes an InvalidInputError.
    class Loose(BaseModel):
        model_config = ConfigDict(extra="allow")

    loose = ModelSpec(
        endpoint="wiro/instant-id",
        name="wiro/instant-id",
        provider="wiro",
        input_model=Loose,
        inputs=(
            InputSpec("steps", "number", "steps"),
            InputSpec(
                "inputImageUrl",
                "fileinput",
                "input_image_url",
                upload_field="inputImage",
                url_field="inputImageUrl",
            ),
        ),
    )
    with pytest.raises(errors.InvalidInputError) as caught:
        api(api.client._start(loose, {"steps": "many", "inputImageUrl": IMAGE}))
    assert caught.value.message == "Request parameter [steps] must be integer or float"
    assert caught.value.input_name == "steps" and caught.value.code == 0
    (problem,) = caught.value.problems
    assert (problem.argument, problem.wire_name) == ("steps", "steps")
    with pytest.raises(errors.InvalidInputError, match=r"Request files \[inputImage\] required"):
        api(api.client._start(loose, {"steps": 3}))
    assert fake.calls("run") == 2 and fake.tasks == {}


# --- layouts no seed model has: a synthetic spec --------------------------------------------------


class Style(StrEnum):
    OIL = "oil"
    INK = "ink"


class GalleryInput(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    styles: list[Style] = Field(default_factory=list)
    images: list[str] = Field(..., alias="inputImages")
    mixed: list[str] = Field(default_factory=list, alias="mixedFiles")
    strength: float = 0.5


GALLERY = ModelSpec(
    endpoint="test/gallery",
    name="test/gallery",
    provider="wiro",
    input_model=GalleryInput,
    inputs=(
        InputSpec(
            "styles", "multiselect", "styles", options=("oil", "ink"), multiple=True, separator="|"
        ),
        InputSpec(
            "inputImages",
            "multifileinput",
            "images",
            required=True,
            upload_field="inputImages",
            url_field="inputImagesUrl",
            multiple=True,
        ),
        InputSpec(
            "mixedFiles", "combinefileinput", "mixed", upload_field="mixedFiles", multiple=True
        ),
        InputSpec("strength", "range", "strength", minimum=0.0, maximum=1.0),
    ),
)


def test_multiselect_is_an_array_and_multi_file_urls_are_joined(fake: FakeWiro, api: Api) -> None:
    """Wiro-MCP src/utils/format.ts and the n8n nodes' multiOptions: a multiselect is a JSON
    array; model-parameters.md: a multifileinput's URLs are comma-separated in {id}Url."""
    with pytest.raises(errors.NotFoundError):  # FakeWiro has no such model: the request shows
        api(
            api.client._start(
                GALLERY,
                {"styles": [Style.OIL, "ink"], "images": ["https://a/1.png", "https://a/2.png"]},
            )
        )
    (request,) = fake.requests_to("run")
    assert request.content_type == "application/json"
    assert request.body["styles"] == ["oil", "ink"]
    assert request.body["inputImagesUrl"] == "https://a/1.png,https://a/2.png"
    assert request.body["mixedFiles"] == []  # combinefileinput: an array, empty by default


def test_multi_file_and_combined_inputs_mix_urls_and_uploads(
    fake: FakeWiro, multipart: Api, face: Path
) -> None:
    api = multipart
    values = {"images": ["https://a/1.png", face, b"xyz"], "mixed": [face, "https://a/3.png"]}
    with pytest.raises(errors.NotFoundError):
        api(api.client._start(GALLERY, values))
    (request,) = fake.requests_to("run")
    assert request.content_type.startswith("multipart/form-data")
    assert request.fields["inputImagesUrl"] == "https://a/1.png"
    assert request.body["mixedFiles"] == "https://a/3.png"  # URLs share the upload field
    assert [(f, n) for f, n, _ in request.files] == [
        ("inputImages", "face.png"),
        ("inputImages", "inputImages-2"),
        ("mixedFiles", "face.png"),
    ]


def test_range_is_checked_against_the_spec() -> None:
    with pytest.raises(errors.InvalidInputError, match=r"strength: must be between 0 and 1"):
        encode_run(GALLERY, PROVIDERS["wiro"], {"images": ["https://a/1.png"], "strength": 1.5})


def test_bad_files_are_listed_with_the_other_problems(tmp_path: Path) -> None:
    values = {"images": [tmp_path / "gone.png", 3], "strength": 1.5}
    with pytest.raises(errors.InvalidInputError) as caught:
        encode_run(GALLERY, PROVIDERS["wiro"], values)
    assert [(p.argument, p.rule) for p in caught.value.problems] == [
        ("images", "local file must exist"),
        ("images", "file input type"),
        ("strength", "range"),
    ]


def test_a_range_is_told_beside_another_inputs_problem() -> None:
    values = {"images": ["https://a/1.png"], "styles": ["gouache"], "strength": "1.5"}
    with pytest.raises(errors.InvalidInputError) as caught:
        encode_run(GALLERY, PROVIDERS["wiro"], values)
    assert [(p.argument, p.rule) for p in caught.value.problems] == [
        ("styles", caught.value.problems[0].rule),
        ("strength", "range"),
    ]


def test_fingerprint_leaves_out_uploads_and_arrays_and_keeps_urls(face: Path) -> None:
    payload = encode_run(
        GALLERY,
        PROVIDERS["wiro"],
        {"images": [face, "https://a/2.png"], "mixed": ["https://a/3.png"], "strength": 0.2},
    )
    # Arrays are left out: how Wiro stores them in a task's parameters is not documented.
    assert payload.fingerprint == {"inputImagesUrl": "https://a/2.png", "strength": "0.2"}
    assert payload.fields["mixedFiles"] == ["https://a/3.png"]  # multipart: repeated fields
