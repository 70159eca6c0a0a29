// Line icons in the Fluent style, drawn with currentColor so they follow the theme.
// Decorative: every control that shows one carries its own accessible name.
import type { ReactNode } from 'react';

interface IconProps {
  className?: string;
}

/** `name` lands in data-icon, for tests and styles that tell icons apart. */
function Svg({ className, name, children }: IconProps & { name?: string; children: ReactNode }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true" focusable="false" data-icon={name}>
      {children}
    </svg>
  );
}

const stroke = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.5,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

const speakerBody = 'M4 9.5h3l4.5-4v13L7 14.5H4a1 1 0 0 1-1-1v-3a1 1 0 0 1 1-1Z';

export function SpeakerIcon({ muted, className }: IconProps & { muted: boolean }) {
  return (
    <Svg className={className} name="speaker">
      <path {...stroke} d={speakerBody} />
      {muted ? (
        <path {...stroke} d="m15.5 9.5 5 5m0-5-5 5" />
      ) : (
        <path {...stroke} d="M15 9a4 4 0 0 1 0 6m2.5-8.5a7.5 7.5 0 0 1 0 11" />
      )}
    </Svg>
  );
}

export function MicrophoneIcon({ muted = false, className }: IconProps & { muted?: boolean }) {
  return (
    <Svg className={className} name="microphone">
      <rect {...stroke} x="9" y="3" width="6" height="11" rx="3" />
      <path {...stroke} d="M6 11a6 6 0 0 0 12 0M12 17v4M9 21h6" />
      {muted && <path {...stroke} d="m4 4 16 16" />}
    </Svg>
  );
}

/** The stand-in for an application that gave no icon (R18). */
export function AppIcon({ className }: IconProps) {
  return (
    <Svg className={className}>
      <rect {...stroke} x="3.5" y="4.5" width="17" height="15" rx="2.5" />
      <path {...stroke} d="M3.5 8.5h17" />
      <circle cx="6.5" cy="6.5" r=".8" fill="currentColor" />
      <circle cx="9" cy="6.5" r=".8" fill="currentColor" />
    </Svg>
  );
}

/** System Sounds has its own icon (R19). */
export function BellIcon({ className }: IconProps) {
  return (
    <Svg className={className}>
      <path {...stroke} d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 1.5h-15L6 16.5Z" />
      <path {...stroke} d="M10 20.5a2 2 0 0 0 4 0" />
    </Svg>
  );
}

export function WarningIcon({ className }: IconProps) {
  return (
    <Svg className={className}>
      <path {...stroke} d="M10.3 4.3 2.9 17.5A2 2 0 0 0 4.6 20.5h14.8a2 2 0 0 0 1.7-3L13.7 4.3a2 2 0 0 0-3.4 0Z" />
      <path {...stroke} d="M12 9.5v4.5" />
      <circle cx="12" cy="17" r=".9" fill="currentColor" />
    </Svg>
  );
}

export function CloseIcon({ className }: IconProps) {
  return (
    <Svg className={className}>
      <path {...stroke} d="m6 6 12 12M18 6 6 18" />
    </Svg>
  );
}

export function UnplugIcon({ className }: IconProps) {
  return (
    <Svg className={className}>
      <path
        {...stroke}
        d="m3 21 4-4m10-10 4-4M8.5 10.5l-2 2a3.5 3.5 0 0 0 5 5l2-2m-5-5 5 5m-3-7 2-2a3.5 3.5 0 0 1 5 5l-2 2m-5-5 5 5"
      />
    </Svg>
  );
}

// The title row's buttons, shown in place of their labels where the row is narrow.

/** Every playback device at once: two speakers side by side. */
export function DevicesIcon({ className }: IconProps) {
  return (
    <Svg className={className} name="devices">
      <rect {...stroke} x="3" y="5" width="7" height="14" rx="1.5" />
      <rect {...stroke} x="14" y="5" width="7" height="14" rx="1.5" />
      <circle {...stroke} cx="6.5" cy="14" r="2" />
      <circle {...stroke} cx="17.5" cy="14" r="2" />
    </Svg>
  );
}

export function EyeIcon({ className }: IconProps) {
  return (
    <Svg className={className} name="eye">
      <path {...stroke} d="M2.5 12s3.5-6 9.5-6 9.5 6 9.5 6-3.5 6-9.5 6-9.5-6-9.5-6Z" />
      <circle {...stroke} cx="12" cy="12" r="2.5" />
    </Svg>
  );
}

/** Recently heard: a clock with its hands turned back. */
export function HistoryIcon({ className }: IconProps) {
  return (
    <Svg className={className} name="history">
      <path {...stroke} d="M4 12a8 8 0 1 0 2.3-5.6M4 4v3.5h3.5" />
      <path {...stroke} d="M12 8v4l2.5 2.5" />
    </Svg>
  );
}

/** Profiles: saved settings, as a stack of sliders. */
export function ProfilesIcon({ className }: IconProps) {
  return (
    <Svg className={className} name="profiles">
      <path {...stroke} d="M4 7h16M4 12h16M4 17h16" />
      <circle {...stroke} cx="9" cy="7" r="1.8" fill="var(--control)" />
      <circle {...stroke} cx="15" cy="12" r="1.8" fill="var(--control)" />
      <circle {...stroke} cx="7" cy="17" r="1.8" fill="var(--control)" />
    </Svg>
  );
}

export function GearIcon({ className }: IconProps) {
  return (
    <Svg className={className} name="gear">
      <circle {...stroke} cx="12" cy="12" r="3" />
      <path
        {...stroke}
        d="M12 3.5v2M12 18.5v2M3.5 12h2M18.5 12h2M6 6l1.4 1.4M16.6 16.6 18 18M6 18l1.4-1.4M16.6 7.4 18 6"
      />
    </Svg>
  );
}
