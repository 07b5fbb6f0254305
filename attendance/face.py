"""Offline face verification with dlib (`dlib-bin`) and its pretrained models
(`face-recognition-models`): HOG face detector, 5-point landmarks, ResNet descriptor.

The models are read from the installed package on first use (about 1.5 s once per
process) and never from the network. A descriptor is 128 numbers; two photos of the same
person are usually closer than 0.6 (dlib's threshold, `FACE_MATCH_THRESHOLD`).
"""

import importlib.util
import io
import os
import threading
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Phone selfies are 3000+ px; faces are found as well at this size and ten times faster.
MAX_SIDE = 800
_lock = threading.Lock()
_models = None


class NoFace(Exception):
    """The photo has no recognisable face (or is not a photo)."""


@dataclass(frozen=True)
class Face:
    descriptor: list[float]


def _model_dir() -> str:
    # find_spec does not run the package's __init__, which needs pkg_resources (setuptools).
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("face-recognition-models is not installed")
    return os.path.join(spec.submodule_search_locations[0], "models")


def load_models():
    """The three dlib models, loaded once per process (thread-safe)."""
    global _models
    if _models is None:
        with _lock:
            if _models is None:
                import dlib

                directory = _model_dir()
                _models = (
                    dlib.get_frontal_face_detector(),
                    dlib.shape_predictor(
                        os.path.join(directory, "shape_predictor_5_face_landmarks.dat")
                    ),
                    dlib.face_recognition_model_v1(
                        os.path.join(directory, "dlib_face_recognition_resnet_model_v1.dat")
                    ),
                )
    return _models


def _pixels(photo: bytes):
    import numpy as np

    try:
        image = Image.open(io.BytesIO(photo))
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at 1/2..1/8 scale, far faster
        image = ImageOps.exif_transpose(image).convert("RGB")  # phones store rotation in EXIF
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise NoFace("not an image") from exc
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))


def face_of(photo: bytes) -> Face:
    """The descriptor of the largest face in `photo`; NoFace when there is none."""
    detector, landmarks, encoder = load_models()
    pixels = _pixels(photo)
    # A selfie's face is big: look at the photo as it is first, and only upsample (4x
    # the work) when nothing was found, for faces under ~80 px.
    found = detector(pixels, 0) or detector(pixels, 1)
    if not found:
        raise NoFace("no face")
    # A selfie's own face is the largest (HOG also fires on patches and posters).
    largest = max(found, key=lambda r: r.width() * r.height())
    shape = landmarks(pixels, largest)
    return Face(descriptor=[float(x) for x in encoder.compute_face_descriptor(pixels, shape)])


def distance(a: list[float], b: list[float]) -> float:
    import numpy as np

    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))
