"""Step `image_prompts`: the visuals of each segment, images or (`general.useVideo`) videos."""

from __future__ import annotations

from typing import Any

from tutopanda.workers.generators.base import StepFailed, StepInput, StepOutput
from tutopanda.workers.generators.text import ASPECTS, topic_of

IMAGE_WIDTH = 1024  # as the original app: height follows the aspect ratio
CAMERA_MOVES = (
    "Slow push-in",
    "Gentle pan from left to right",
    "Slow aerial drift",
    "Steady tracking shot",
    "Slow tilt upward",
    "Handheld close-up",
)


def script_segments(step: StepInput) -> list[dict[str, Any]]:
    """The script's segments; a step that needs them fails permanently without them."""
    script = step.section("script")
    segments = script.get("segments") if isinstance(script, dict) else None
    if not segments:
        raise StepFailed(f"step {step.step_name} needs a script; the lecture has none")
    return list(segments)


def _height(width: int, aspect_ratio: str) -> int:
    across, down = (int(part) for part in aspect_ratio.split(":"))
    return round(width * down / across)


def _first_sentence(segment: dict[str, Any]) -> str:
    return str(segment.get("narration", "")).split(". ")[0].strip(". ")


def _image_prompt(segment: int, image: int, topic: str, first_sentence: str) -> str:
    aspect = ASPECTS[segment % len(ASPECTS)].capitalize()
    view = "" if image == 0 else f" (view {image + 1})"
    return f"{aspect} of {topic}: {first_sentence}{view}"


async def _images(step: StepInput, segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`image.imagesPerSegment` images per segment with the image settings, ids as the
    original's (`img-{runId}-{segment}-{image}`)."""
    image = step.settings.image
    per_segment = image.images_per_segment
    topic = topic_of(step.prompt)
    total = len(segments) * per_segment
    images: list[dict[str, Any]] = []
    for i, segment in enumerate(segments):
        for j in range(per_segment):
            await step.report_item("Generating images", len(images) + 1, total)
            images.append(
                {
                    "id": f"img-{step.run_id}-{i}-{j}",
                    "label": f"Segment {i + 1}"
                    if per_segment == 1
                    else f"Segment {i + 1} Image {j + 1}",
                    "prompt": _image_prompt(i, j, topic, _first_sentence(segment)),
                    "model": image.model,
                    "aspectRatio": image.aspect_ratio,
                    "width": IMAGE_WIDTH,
                    "height": _height(IMAGE_WIDTH, image.aspect_ratio),
                    "size": image.size,
                    "style": image.style,
                    "format": image.format,
                }
            )
    return images


async def _videos(step: StepInput, segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One video per segment with the video settings, ids as the original's
    (`video-{runId}-{segment}`, its starting image `video-img-{runId}-{segment}`)."""
    video, image = step.settings.video, step.settings.image
    topic = topic_of(step.prompt)
    rng = step.rng()
    videos: list[dict[str, Any]] = []
    for i, segment in enumerate(segments):
        await step.report_item("Generating videos", i + 1, len(segments))
        sentence = _first_sentence(segment)
        videos.append(
            {
                "id": f"video-{step.run_id}-{i}",
                "label": f"Segment {i + 1}",
                "segmentStartImagePrompt": _image_prompt(i, 0, topic, sentence),
                "movieDirections": f"{rng.choice(CAMERA_MOVES)} across {topic}: {sentence}",
                "model": video.model,
                "resolution": video.resolution,
                "duration": int(video.duration),
                "aspectRatio": image.aspect_ratio,
                "startingImageId": f"video-img-{step.run_id}-{i}",
                "startingImageModel": video.image_model or image.model,
                "style": image.style,
            }
        )
    return videos


async def generate_image_prompts(step: StepInput) -> StepOutput:
    """Images, or videos when `general.useVideo`; the other kind is cleared, so the lecture's
    visuals are the ones its settings ask for."""
    segments = script_segments(step)
    if step.settings.general.use_video:
        videos = await _videos(step, segments)
        await step.report("Videos generated successfully", 1.0)
        return StepOutput(
            sections={"videos": videos, "images": []}, summary={"videos": len(videos)}
        )
    images = await _images(step, segments)
    await step.report("Images generated successfully", 1.0)
    return StepOutput(sections={"images": images, "videos": []}, summary={"images": len(images)})
