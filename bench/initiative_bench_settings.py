"""Settings for the signing benchmark's server: production settings plus one URL, the minimal
view the signing view is compared with (``initiative_bench_urls``). Never used outside bench/."""

from glas.settings import *  # noqa: F403

ROOT_URLCONF = "initiative_bench_urls"
