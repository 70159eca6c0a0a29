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
