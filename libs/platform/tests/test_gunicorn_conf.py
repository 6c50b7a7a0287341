"""Long-running processes keep what they loaded out of the garbage collector's sight."""

import gc

from lotse_platform.http import gunicorn_conf


def test_an_api_worker_freezes_what_its_loaded_app_holds_so_full_collections_stay_short():
    gc.unfreeze()
    kept = [object() for _ in range(1000)]  # stands for what the loaded app holds
    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() >= len(kept)
        assert not any(o is kept[0] for o in gc.get_objects())  # out of the collector's sight
    finally:
        gc.unfreeze()
