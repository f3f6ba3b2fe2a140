"""The Future Industry Map (杭州未来产业地图): measures, published figures, reconstruction, blurbs, maps, reports."""

__all__: list[str] = []
