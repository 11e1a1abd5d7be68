"""The app's sessions share one pool of database connections per process: many sessions
reading at once all get an answer, and afterwards no more than the pool's size stay open."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.pool import QueuePool

from prevplan.plan.models import Plan
from prevplan.storage import SqlPlanStore
from prevplan.storage.database import MAX_OVERFLOW, POOL_SIZE, create_storage_engine


def test_the_pool_has_the_documented_size(database_url: str) -> None:
    engine = create_storage_engine(database_url)
    try:
        assert isinstance(engine.pool, QueuePool)
        assert engine.pool.size() == POOL_SIZE
        assert engine.pool._max_overflow == MAX_OVERFLOW
    finally:
        engine.dispose()


def test_many_sessions_at_once_share_the_pool(store: SqlPlanStore, plan: Plan) -> None:
    store.save(plan, author="Aigerim", base_version=None)
    sessions = POOL_SIZE + MAX_OVERFLOW + 5  # more than the pool ever opens: some wait

    def open_latest(_n: int) -> int:
        return store.load_latest_valid(plan.name).version

    with ThreadPoolExecutor(sessions) as pool:
        assert list(pool.map(open_latest, range(sessions * 3))) == [1] * sessions * 3
    engine_pool = store._engine.pool
    assert isinstance(engine_pool, QueuePool)
    assert engine_pool.checkedout() == 0
    assert engine_pool.checkedin() <= POOL_SIZE
