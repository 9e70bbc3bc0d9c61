"""Store applications exactly as the simulator would serve them (for benchmarks and tests)."""
from applications.cams.client import interpret_response
from applications.services.store import application_store


def store_from_dataset(dataset, request_numbers, *, seen_at=None) -> list:
    """Upsert each record of ``dataset`` through the normal store path; returns the rows."""
    stored = []
    for number in request_numbers:
        data, space = dataset.get(number)
        fetched = interpret_response({"Code": "OK", "RequestId": "SEED", "Data": data})
        stored.append(application_store(fetched=fetched, request_no=number, cust_space_id=space, seen_at=seen_at))
    return stored
