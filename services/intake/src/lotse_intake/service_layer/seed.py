def seed_demo(service, county) -> int:
    return 0
