// The player page's script, bundled with hls.js at synth by stacks/lib/player-bundle.ts.
// It reads ?asset=<assetId>, finds the asset's outputs at the paths the pipeline writes them
// (<assetId>/hls/<slug>.m3u8, <assetId>/thumbnails/<slug>_thumb.NNNNNNN.jpg), and plays the HLS
// master with hls.js. Scrubbing previews come from the storyboard job events write
// (<assetId>/hls/storyboard.vtt, #xywh cues into the trick-play tiles), loaded as a metadata track.
// Everything is same-origin: the page's CSP allows nothing else (styles are set through the CSSOM,
// which style-src does not govern; the tiles load under img-src 'self').
import Hls from 'hls.js';
import { THUMBNAIL_NAME_MODIFIER, posterThumbnailIndex, storyboardKey } from '../contracts/storage-layout';

/** What tests and curious users can read from the console: window.vodPlayer. */
const state = { asset: null, hls: null, levels: [], errors: [], fatal: null, storyboard: null, preview: null };
window.vodPlayer = state;

const video = document.getElementById('video');
const status = document.getElementById('status');
const renditions = document.getElementById('renditions');
const scrubber = document.getElementById('scrubber');
const progress = document.getElementById('progress');
const preview = document.getElementById('preview');

function fail(message) {
  state.fatal = message;
  status.textContent = message;
  status.className = 'error';
}

const asset = new URLSearchParams(window.location.search).get('asset') ?? '';
// The asset id the pipeline derives: a slug of the file name plus 12 hex digits of the upload.
const match = /^([a-z0-9]+(?:-[a-z0-9]+)*)-([0-9a-f]{12})$/.exec(asset);
if (!match) {
  fail('No asset: open this page as /player/index.html?asset=<assetId>.');
} else {
  state.asset = asset;
  const slug = match[1];
  const base = `/${asset}`;
  const master = `${base}/hls/${slug}.m3u8`;

  // The poster is the thumbnail the pipeline picks (posterThumbnailIndex, the rule the notifications use):
  // the page learns how many thumbnails there are with HEAD requests (a doubling, then a bisection).
  const thumbnail = (i) => `${base}/thumbnails/${slug}${THUMBNAIL_NAME_MODIFIER}.${String(i).padStart(7, '0')}.jpg`;
  const exists = async (i) => (await fetch(thumbnail(i), { method: 'HEAD' })).ok;
  const thumbnailCount = async () => {
    if (!(await exists(0))) return 0;
    let present = 0;
    let absent = 1;
    while (await exists(absent)) [present, absent] = [absent, absent * 2];
    while (absent - present > 1) {
      const middle = Math.floor((present + absent) / 2);
      if (await exists(middle)) present = middle;
      else absent = middle;
    }
    return present + 1;
  };
  thumbnailCount()
    .then((count) => {
      if (count === 0) return;
      const poster = thumbnail(posterThumbnailIndex(count));
      video.poster = poster;
      state.poster = poster;
    })
    .catch(() => undefined);

  setUpScrubbing(new URL(`/${storyboardKey(asset)}`, window.location.href).toString());

  if (!Hls.isSupported()) {
    fail('This browser has no Media Source Extensions: hls.js cannot play here.');
  } else {
    // No worker: the page's CSP allows no blob: workers.
    const hls = new Hls({ enableWorker: false, capLevelToPlayerSize: false });
    state.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
      state.levels = data.levels.map((level) => ({ width: level.width, height: level.height, bitrate: level.bitrate }));
      const auto = document.createElement('option');
      auto.value = '-1';
      auto.textContent = 'Auto';
      renditions.append(auto);
      data.levels.forEach((level, index) => {
        const option = document.createElement('option');
        option.value = String(index);
        option.textContent = `${level.width}×${level.height} · ${Math.round(level.bitrate / 1000)} kb/s`;
        renditions.append(option);
      });
      renditions.disabled = false;
      status.textContent = `${data.levels.length} renditions`;
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
      const level = hls.levels[data.level];
      if (level) status.textContent = `Playing ${level.width}×${level.height}`;
    });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      state.errors.push({ type: data.type, details: data.details, fatal: data.fatal });
      if (data.fatal) fail(`Playback failed: ${data.type} ${data.details}`);
    });
    renditions.addEventListener('change', () => {
      hls.currentLevel = Number(renditions.value);
    });
    hls.loadSource(master);
    hls.attachMedia(video);
  }
}

/**
 * The seek bar under the video: click or drag to seek; hovering shows the storyboard's thumbnail for
 * that time above it. Without a storyboard (jobs before trick play) it only seeks.
 */
function setUpScrubbing(storyboardUrl) {
  const element = document.createElement('track');
  element.kind = 'metadata';
  element.label = 'storyboard';
  element.src = storyboardUrl;
  video.append(element);
  const track = element.track;
  track.mode = 'hidden';
  element.addEventListener('load', () => {
    state.storyboard = { url: storyboardUrl, cues: track.cues ? track.cues.length : 0 };
  });
  element.addEventListener('error', () => {
    state.storyboard = { url: storyboardUrl, cues: 0, error: true };
  });

  const fractionAt = (clientX) => {
    const rect = scrubber.getBoundingClientRect();
    return Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
  };
  const cueAt = (time) => {
    const cues = track.cues ? Array.from(track.cues) : [];
    return cues.find((cue) => time >= cue.startTime && time < cue.endTime) ?? cues[cues.length - 1];
  };
  const showPreview = (clientX) => {
    const fraction = fractionAt(clientX);
    const time = fraction * video.duration;
    const cue = Number.isFinite(time) ? cueAt(time) : undefined;
    const match = cue ? /^(.+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(cue.text.trim()) : null;
    if (!match) return;
    const [, tile, x, y, w, h] = match;
    const image = new URL(tile, storyboardUrl).toString();
    preview.style.backgroundImage = `url("${image}")`;
    preview.style.backgroundPosition = `-${x}px -${y}px`;
    preview.style.width = `${w}px`;
    preview.style.height = `${h}px`;
    preview.style.left = `${fraction * 100}%`;
    preview.hidden = false;
    const shown = { time, image, x: Number(x), y: Number(y), width: Number(w), height: Number(h), loaded: false };
    state.preview = shown;
    const probe = new Image();
    probe.addEventListener('load', () => {
      shown.loaded = probe.naturalWidth >= shown.x + shown.width && probe.naturalHeight >= shown.y + shown.height;
    });
    probe.src = image;
  };
  let dragging = false;
  const seek = (clientX) => {
    if (Number.isFinite(video.duration)) video.currentTime = fractionAt(clientX) * video.duration;
  };
  scrubber.addEventListener('pointerdown', (event) => {
    dragging = true;
    scrubber.setPointerCapture(event.pointerId);
    seek(event.clientX);
    showPreview(event.clientX);
  });
  scrubber.addEventListener('pointermove', (event) => {
    showPreview(event.clientX);
    if (dragging) seek(event.clientX);
  });
  scrubber.addEventListener('pointerup', () => {
    dragging = false;
  });
  scrubber.addEventListener('pointerleave', () => {
    if (!dragging) preview.hidden = true;
  });
  video.addEventListener('timeupdate', () => {
    if (video.duration > 0) progress.style.width = `${(video.currentTime / video.duration) * 100}%`;
  });
}
