#!/usr/bin/env bash
# Generates the playback fixtures under __tests__/fixtures/media/playback/: the four uploads the
# browser test plays through the local pipeline (npm run local:up, npm run upload). Each is 5 s
# (so playback can advance 3 s), small (crf 38), and made the same way as scripts/make-media-fixtures.sh.
#
#   bash scripts/make-playback-fixtures.sh         # about 20 s on 2 cores
set -euo pipefail

cd "$(dirname "$0")/.."
OUT="__tests__/fixtures/media/playback"
mkdir -p "$OUT"

COMMON=(-hide_banner -loglevel error -y)
VIDEO_BITEXACT=(-flags:v +bitexact -fflags +bitexact -map_metadata -1)
AUDIO_BITEXACT=(-flags:a +bitexact)
X264=(-c:v libx264 -preset veryfast -crf 38 -pix_fmt yuv420p "${VIDEO_BITEXACT[@]}")
AAC=(-c:a aac -b:a 64k -ar 48000 -ac 2 "${AUDIO_BITEXACT[@]}")
SECONDS_LONG=5

pattern() { # width height rate seconds
  echo "testsrc2=size=$1x$2:rate=$3:duration=$4"
}
tone() { # seconds
  echo "sine=frequency=440:sample_rate=48000:duration=$1"
}

# Landscape 1080p30 with stereo AAC.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1920 1080 30 $SECONDS_LONG)" -f lavfi -i "$(tone $SECONDS_LONG)" \
  "${X264[@]}" "${AAC[@]}" -movflags +faststart "$OUT/landscape-1080p.mp4"

# Phone portrait: 1920x1080 frames, a 90-degree rotation matrix in tkhd, moov at the end (as phones write it).
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1920 1080 30 $SECONDS_LONG)" -f lavfi -i "$(tone $SECONDS_LONG)" \
  "${X264[@]}" "${AAC[@]}" -f mov "$OUT/phone-portrait.mov"
python3 scripts/lib/set-mp4-rotation.py "$OUT/phone-portrait.mov"

# Silent 720p: no audio track at all.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1280 720 30 $SECONDS_LONG)" "${X264[@]}" -movflags +faststart "$OUT/silent-720p.mp4"

# 60 fps 720p with audio.
ffmpeg "${COMMON[@]}" -f lavfi -i "$(pattern 1280 720 60 $SECONDS_LONG)" -f lavfi -i "$(tone $SECONDS_LONG)" \
  "${X264[@]}" "${AAC[@]}" -movflags +faststart "$OUT/720p60.mp4"

ls -l "$OUT"
