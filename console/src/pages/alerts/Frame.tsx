// The captured frame with the detector's boxes drawn on it (fractions of the frame), and the boxes as a list.
import { useI18n } from "../../i18n/I18n";
import { boxPercent, displayableFrame } from "../../logic/alerts";
import type { Alert } from "./queries";

const W = 160;
const H = 90;

export function Frame({ alert }: { alert: Alert }) {
  const { m, label } = useI18n();
  const category = label("AlertCategory", alert.category);
  return (
    <figure className="frame">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${m("frame")}: ${category}`} data-testid="frame">
        <rect width={W} height={H} className="frame-ground" />
        {displayableFrame(alert.frameRef) ? <image href={alert.frameRef} width={W} height={H} preserveAspectRatio="none" /> : null}
        {alert.boxes.map((box, index) => {
          const p = boxPercent(box);
          return (
            <g key={index} className="frame-box" data-testid="frame-box">
              <rect x={(p.x * W) / 100} y={(p.y * H) / 100} width={(p.w * W) / 100} height={(p.h * H) / 100} />
              <text x={(p.x * W) / 100 + 1} y={(p.y * H) / 100 + 5}>
                {index + 1}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {displayableFrame(alert.frameRef) ? null : <p className="note">{m("frameStoredAt", { ref: alert.frameRef })}</p>}
        <ul className="boxes">
          {alert.boxes.map((box, index) => (
            <li key={index}>{m("boxLabel", { n: index + 1, confidence: box.confidence.toFixed(2) })}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
