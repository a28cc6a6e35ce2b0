"""A small, dependency-free writer for Tiled TMX maps (orthogonal, CSV-encoded layers).

Output is deterministic: the same inputs always give the same bytes, so regenerating the
map does not create spurious diffs.  The files open in the Tiled editor and load with pytmx.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass, field
from typing import Sequence
from xml.sax.saxutils import quoteattr

PropValue = str | int | float | bool


@dataclass
class Tileset:
    """An image-based tileset.  `image` is relative to the directory of the .tmx file."""

    name: str
    image: str
    image_width: int
    image_height: int
    tilecount: int
    columns: int
    firstgid: int = 1
    tilewidth: int = 32
    tileheight: int = 32
    # local tile id -> {property name: value}
    tile_properties: dict[int, dict[str, PropValue]] = field(default_factory=dict)


@dataclass
class TileLayer:
    """`data` is a row-major grid (height rows of width gids); 0 means an empty cell."""

    name: str
    data: Sequence[Sequence[int]]
    visible: bool = True
    opacity: float = 1.0
    properties: dict[str, PropValue] = field(default_factory=dict)


@dataclass
class MapObject:
    """A rectangle (or a point when `point` is True) in pixel units, as Tiled stores it."""

    name: str
    x: float
    y: float
    width: float = 0
    height: float = 0
    type: str = ""
    point: bool = False
    properties: dict[str, PropValue] = field(default_factory=dict)


@dataclass
class ObjectGroup:
    name: str
    objects: list[MapObject] = field(default_factory=list)
    visible: bool = True
    color: str | None = None
    properties: dict[str, PropValue] = field(default_factory=dict)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _props_xml(props: dict[str, PropValue], indent: str) -> list[str]:
    if not props:
        return []
    out = [f"{indent}<properties>"]
    for key in sorted(props):
        value = props[key]
        if isinstance(value, bool):
            kind, text = "bool", "true" if value else "false"
        elif isinstance(value, int):
            kind, text = "int", str(value)
        elif isinstance(value, float):
            kind, text = "float", repr(value)
        else:
            kind, text = None, str(value)
        type_attr = f' type="{kind}"' if kind else ""
        out.append(f"{indent} <property name={quoteattr(key)}{type_attr} value={quoteattr(text)}/>")
    out.append(f"{indent}</properties>")
    return out


def render_tmx(
    width: int,
    height: int,
    tilesets: Sequence[Tileset],
    layers: Sequence[TileLayer | ObjectGroup],
    properties: dict[str, PropValue] | None = None,
    tilewidth: int = 32,
    tileheight: int = 32,
) -> str:
    """Return the TMX document as a string.  Layers are written (and drawn) in the given order."""
    object_count = sum(len(l.objects) for l in layers if isinstance(l, ObjectGroup))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append(
        f'<map version="1.10" tiledversion="1.10.2" orientation="orthogonal" renderorder="right-down" '
        f'width="{width}" height="{height}" tilewidth="{tilewidth}" tileheight="{tileheight}" '
        f'infinite="0" nextlayerid="{len(layers) + 1}" nextobjectid="{object_count + 1}">'
    )
    lines += _props_xml(properties or {}, " ")
    for ts in tilesets:
        lines.append(
            f' <tileset firstgid="{ts.firstgid}" name={quoteattr(ts.name)} tilewidth="{ts.tilewidth}" '
            f'tileheight="{ts.tileheight}" tilecount="{ts.tilecount}" columns="{ts.columns}">'
        )
        lines.append(
            f'  <image source={quoteattr(ts.image)} width="{ts.image_width}" height="{ts.image_height}"/>'
        )
        for local_id in sorted(ts.tile_properties):
            lines.append(f'  <tile id="{local_id}">')
            lines += _props_xml(ts.tile_properties[local_id], "   ")
            lines.append("  </tile>")
        lines.append(" </tileset>")
    layer_id = 0
    object_id = 0
    for layer in layers:
        layer_id += 1
        if isinstance(layer, TileLayer):
            if len(layer.data) != height or any(len(row) != width for row in layer.data):
                raise ValueError(f"layer {layer.name!r} is not {width}x{height}")
            attrs = f'id="{layer_id}" name={quoteattr(layer.name)} width="{width}" height="{height}"'
            if not layer.visible:
                attrs += ' visible="0"'
            if layer.opacity != 1.0:
                attrs += f' opacity="{_num(layer.opacity)}"'
            lines.append(f" <layer {attrs}>")
            lines += _props_xml(layer.properties, "  ")
            lines.append('  <data encoding="csv">')
            rows = [",".join(str(int(g)) for g in row) for row in layer.data]
            lines.append(",\n".join(rows))
            lines.append("</data>")
            lines.append(" </layer>")
        else:
            attrs = f'id="{layer_id}" name={quoteattr(layer.name)}'
            if layer.color:
                attrs += f' color="{layer.color}"'
            if not layer.visible:
                attrs += ' visible="0"'
            lines.append(f" <objectgroup {attrs}>")
            lines += _props_xml(layer.properties, "  ")
            for obj in layer.objects:
                object_id += 1
                attrs = f'id="{object_id}" name={quoteattr(obj.name)}'
                if obj.type:
                    attrs += f" type={quoteattr(obj.type)}"
                attrs += f' x="{_num(obj.x)}" y="{_num(obj.y)}"'
                if not obj.point:
                    attrs += f' width="{_num(obj.width)}" height="{_num(obj.height)}"'
                inner = _props_xml(obj.properties, "   ")
                if obj.point:
                    inner.append("   <point/>")
                if inner:
                    lines.append(f"  <object {attrs}>")
                    lines += inner
                    lines.append("  </object>")
                else:
                    lines.append(f"  <object {attrs}/>")
            lines.append(" </objectgroup>")
    lines.append("</map>")
    return "\n".join(lines) + "\n"


def write_tmx(path: str, *args, **kwargs) -> None:
    """Render a TMX document (see `render_tmx`) and write it as UTF-8."""
    text = render_tmx(*args, **kwargs)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def tile_rect(name: str, x: int, y: int, w: int = 1, h: int = 1, tile: int = 32, **props) -> MapObject:
    """A rectangle object aligned to the tile grid, given in tile units."""
    return MapObject(name, x * tile, y * tile, w * tile, h * tile, properties=dict(props))


def tile_point(name: str, x: int, y: int, tile: int = 32) -> MapObject:
    """A point object at the centre of tile (x, y)."""
    return MapObject(name, x * tile + tile // 2, y * tile + tile // 2, point=True)


def write_png(path: str, width: int, height: int, rgba: bytes, channels: int = 4) -> None:
    """Write 8-bit RGBA (or RGB with channels=3) pixels as a PNG with no timestamps or varying chunks."""
    if len(rgba) != width * height * channels:
        raise ValueError("pixel buffer does not match the image size")
    stride = width * channels
    raw = b"".join(b"\x00" + rgba[y * stride : (y + 1) * stride] for y in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6 if channels == 4 else 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def empty_grid(width: int, height: int) -> list[list[int]]:
    return [[0] * width for _ in range(height)]


