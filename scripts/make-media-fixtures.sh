#!/usr/bin/env bash
# Generates the real media fixtures under __tests__/fixtures/media/ and their manifest.
#
# Needs Debian's ffmpeg/ffprobe (5.1 tested) and python3. The tests never run this: they read
# the committed files and manifest.json, which records for each file its size, sha256 and what
# ffprobe saw (-show_streams -show_format). The MediaConvert stand-in answers Probe from that
# record, so its answers come from the files, not from numbers typed into a test.
#
#   bash scripts/make-media-fixtures.sh            # regenerate everything (about 30 s on 2 cores)
#
# Each file is 0.5-3 s of ffmpeg's test pattern plus a tone (one is 60.05 s of a flat colour); the whole
# set stays under 3 MB.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT="__tests__/fixtures/media"
mkdir -p "$OUT"

# No encoder version strings, no creation times: the same ffmpeg gives the same bytes.
COMMON=(-hide_banner -loglevel error -y)
VIDEO_BITEXACT=(-flags:v +bitexact -fflags +bitexact -map_metadata -1)
AUDIO_BITEXACT=(-flags:a +bitexact)
X264=(-c:v libx264 -preset veryfast -crf 38 -pix_fmt yuv420p "${VIDEO_BITEXACT[@]}")
AAC=(-c:a aac -b:a 64k -ar 48000 -ac 2 "${AUDIO_BITEXACT[@]}")

pattern() { # width height rate seconds
  echo "testsrc2=size=$1x$2:rate=$3:duration=$4"
}
tone() { # seconds
  echo "sine=frequency=440:sample_rate=48000:duration=$1"
}

# 1. Phone-style portrait: landscape 1920x1080 frames with a 90-degree clockwise rotation matrix
#    in the video track's tkhd, QuickTime brand, and the moov index at the END of the file, as
#    phones write it. ffmpeg's `rotate` tag changed meaning and syntax across versions (5.1 ignores
#    it when encoding), so the matrix an iPhone writes is set directly: [0 1 0; -1 0 0; 1080 0 1].
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1920 1080 30 2)" -f lavfi -i "$(tone 2)" \
  "${X264[@]}" "${AAC[@]}" -f mov "$OUT/phone-portrait-rotated.mov"
python3 scripts/lib/set-mp4-rotation.py "$OUT/phone-portrait-rotated.mov"

# 2. 1080p60 MP4 (level 4.1 cannot carry it), index at the start (faststart).
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1920 1080 60 1)" -f lavfi -i "$(tone 1)" \
  "${X264[@]}" "${AAC[@]}" -movflags +faststart "$OUT/1080p60.mp4"

# 3. A 640x480 webcam clip: smaller than every rung but the smallest.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 640 480 30 3)" -f lavfi -i "$(tone 3)" \
  "${X264[@]}" "${AAC[@]}" "$OUT/webcam-640x480.mp4"

# 4. 720p without any audio track.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1280 720 30 2)" \
  "${X264[@]}" -an "$OUT/silent-720p.mp4"

# 5. Interlaced 1080i (25 frames of two top-field-first fields) in BDAV MPEG-TS (.m2ts, as AVCHD camcorders
#    write it) with AC-3. Not .ts or .mts: tsc, eslint and jest take those for TypeScript.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1920 1080 25 2)" -f lavfi -i "$(tone 2)" \
  -vf setfield=tff -c:v libx264 -preset veryfast -crf 38 -pix_fmt yuv420p -flags +ildct+ilme -x264-params tff=1 "${VIDEO_BITEXACT[@]}" \
  -c:a ac3 -b:a 96k -ar 48000 -ac 2 "${AUDIO_BITEXACT[@]}" -f mpegts -mpegts_m2ts_mode 1 "$OUT/camcorder-1080i.m2ts"

# 6. 10-bit HLG HEVC in a MOV, tagged BT.2020 / ARIB STD-B67 like an iPhone's default HDR video.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1920 1080 30 1)" -f lavfi -i "$(tone 1)" \
  -c:v libx265 -preset ultrafast -crf 36 -pix_fmt yuv420p10le -tag:v hvc1 "${VIDEO_BITEXACT[@]}" \
  -x265-params "log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc" \
  -color_primaries bt2020 -color_trc arib-std-b67 -colorspace bt2020nc \
  "${AAC[@]}" -f mov "$OUT/iphone-hlg-hevc.mov"

# 7. Anamorphic HDV: 1440x1080 stored, SAR 4:3, so it displays as 1920x1080.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1440 1080 25 2)" -f lavfi -i "$(tone 2)" \
  -vf setsar=4/3 "${X264[@]}" "${AAC[@]}" "$OUT/hdv-anamorphic-1440x1080.mp4"

# 8. Native portrait 720x1280 (no rotation matrix), index at the start.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 720 1280 30 2)" -f lavfi -i "$(tone 2)" \
  "${X264[@]}" "${AAC[@]}" -movflags +faststart "$OUT/portrait-720x1280.mp4"

# 9. Not media at all: 64 KiB of seeded pseudo-random bytes behind a video suffix.
python3 -c "import random, sys; random.seed(10); sys.stdout.buffer.write(random.randbytes(65536))" >"$OUT/not-a-video.mp4"

# Round two (issue 19): the cases real uploads bring that the first nine do not. Small sizes where
# the case allows: what matters is the stream layout, not the picture.

# 10. Interlaced ProRes 422 Proxy (29.97i, top field first) in a MOV. MediaConvert's Probe returns
#     scan type and field order for H.264, H.265 and MPEG-2 only, so this file reaches the planner
#     with no word on its scan: the stand-in leaves them out for ProRes too.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 320 180 30000/1001 0.5)" -f lavfi -i "$(tone 0.5)" \
  -vf setfield=tff -c:v prores_ks -profile:v 0 -qscale:v 31 -flags +ildct+ilme -pix_fmt yuv422p10le "${VIDEO_BITEXACT[@]}" \
  -c:a pcm_s16le -ac 1 "${AUDIO_BITEXACT[@]}" -f mov "$OUT/prores-interlaced-noscan.mov"

# 11. A camera MOV with two mono PCM tracks (left and right on tracks of their own, as camcorders and
#     field recorders write them): a 440 Hz tone on track 2, 660 Hz on track 3.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 320 180 25 1)" -f lavfi -i "$(tone 1)" \
  -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=1" -map 0:v -map 1:a -map 2:a \
  "${X264[@]}" -c:a pcm_s16le -ac 1 "${AUDIO_BITEXACT[@]}" -f mov "$OUT/camera-two-mono-tracks.mov"

# 12. 5.1 AAC (one track of six channels).
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 320 180 25 1)" -f lavfi -i "$(tone 1)" \
  "${X264[@]}" -af "pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0" -c:a aac -b:a 192k -ar 48000 "${AUDIO_BITEXACT[@]}" \
  "$OUT/surround-5.1.mp4"

# 13. A phone's variable-frame-rate clip: nominal 60 fps, frame durations jittering by 3/6000 s and
#     one tick short every tenth frame, so the average is a little above 60 (ffprobe: 90000/1499).
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 320 180 60 2)" -f lavfi -i "$(tone 2)" \
  -vf "settb=1/6000,setpts='N*100 - floor(N/10) + 3*eq(mod(N\,4)\,1) - 3*eq(mod(N\,4)\,3)'" \
  -fps_mode passthrough -enc_time_base 1/6000 -video_track_timescale 6000 \
  "${X264[@]}" "${AAC[@]}" -f mov "$OUT/phone-vfr-60.mov"

# 14. 60.05 s (1201 frames at 20 fps) of a flat colour, silent: HLS segments of 6 s would end in a
#     0.05 s one. Tiny picture and flat colour keep it about 30 KB.
ffmpeg "${COMMON[@]}" -f lavfi -i "color=c=0x336699:size=192x108:rate=20:duration=60.05" \
  -c:v libx264 -preset veryfast -crf 45 -g 40 -pix_fmt yuv420p "${VIDEO_BITEXACT[@]}" -an "$OUT/long-60.05s.mp4"

# 15. Audio only: 2 s of AAC in an M4A (brand M4A).
ffmpeg "${COMMON[@]}" -f lavfi -i "$(tone 2)" "${AAC[@]}" -vn "$OUT/audio-only.m4a"

# 16. A 1920x40 strip: scaled to a 360p-wide rung it would be 14 lines tall, under MediaConvert's 32.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1920 40 30 1)" -f lavfi -i "$(tone 1)" \
  "${X264[@]}" "${AAC[@]}" "$OUT/strip-1920x40.mp4"

# 17. 720p at 90 fps (half a second): above Apple's 60, divided by whole factors (45 and 30).
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1280 720 90 0.5)" -f lavfi -i "$(tone 0.5)" \
  -c:v libx264 -preset veryfast -crf 45 -pix_fmt yuv420p "${VIDEO_BITEXACT[@]}" "${AAC[@]}" "$OUT/720p90.mp4"

# 18. HDR10: 10-bit HEVC (hvc1) tagged BT.2020 / SMPTE ST 2084 (PQ), with mastering-display and
#     content-light-level SEI (a P3-D65 1000-nit grade), 768x432 so the HDR ladder has two rungs.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 768 432 30 1)" -f lavfi -i "$(tone 1)" \
  -c:v libx265 -preset ultrafast -crf 36 -pix_fmt yuv420p10le -tag:v hvc1 "${VIDEO_BITEXACT[@]}" \
  -x265-params "log-level=error:info=0:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:hdr10=1:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50):max-cll=1000,400" \
  -color_primaries bt2020 -color_trc smpte2084 -colorspace bt2020nc \
  "${AAC[@]}" -movflags +faststart "$OUT/hdr10-pq-768x432.mp4"

# The manifest: what ffprobe saw of each file, keyed by file name. ffprobe cannot read the
# non-media file; its entry records that (probe: null, and ffprobe's error).
python3 - "$OUT" <<'PY'
import hashlib, json, os, re, subprocess, sys

out = sys.argv[1]
manifest = {}
for name in sorted(os.listdir(out)):
    path = os.path.join(out, name)
    if name == "manifest.json" or not os.path.isfile(path):
        continue
    data = open(path, "rb").read()
    run = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", path],
        capture_output=True, text=True,
    )
    entry = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if run.returncode == 0:
        probe = json.loads(run.stdout)
        probe["format"].pop("filename", None)  # a path on the generating machine
        entry["ffprobe"] = probe
    else:
        entry["ffprobe"] = None
        entry["ffprobeError"] = re.sub(r" @ 0x[0-9a-f]+", "", run.stderr.strip().replace(path, name))  # no pointer values
    manifest[name] = entry
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump({"generatedBy": "scripts/make-media-fixtures.sh", "ffprobe": subprocess.run(["ffprobe", "-version"], capture_output=True, text=True).stdout.split("\n")[0], "files": manifest}, f, indent=1, sort_keys=True)
    f.write("\n")
PY

du -ch "$OUT"/* | tail -1
